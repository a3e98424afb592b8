using ActorNet.Chat.Core;
using ActorNet.Chat.Server;
using ActorNet.Transport;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit;
using static ActorNet.Chat.Tests.Actors.SessionHarness;

namespace ActorNet.Chat.Tests.Actors;

/// <summary>Channel messages go straight to the channel actor learnt at JOIN, pipelined; everything else waits for them.</summary>
public sealed class SessionFastPathTests : TestKit
{
    /// <summary>A registered session whose chat service is a probe, joined to #p whose actor is another probe.</summary>
    private (IActorRef Session, TestProbe Connection, TestProbe Server, TestProbe Channel) Joined()
    {
        var h = new SessionHarness(this);
        var server = CreateTestProbe();
        var channel = CreateTestProbe();
        var (session, connection) = h.Start(server.Ref);
        Send(session, "NICK alice");
        Send(session, "USER a 0 * :Alice");
        server.FishForMessage(m => m is FromSession { Request: RegisterRequest });
        server.Reply(new RegisteredEvent(new LusersCounts(1, 0, 0, 0, 0, 1), h.Time.GetUtcNow()));
        Until(connection, " 422 alice");

        Send(session, "JOIN #p");
        server.FishForMessage(m => m is FromSession { Request: JoinRequest });
        session.Tell(new JoinedEvent("#p"), channel.Ref); // from the channel actor, as ChannelActor.Join does
        return (session, connection, server, channel);
    }

    [Fact]
    public void Messages_to_a_joined_channel_go_to_its_actor_several_in_flight_and_a_ping_waits_for_them()
    {
        var (session, connection, server, channel) = Joined();
        Send(session, "PRIVMSG #p :one");
        Send(session, "PRIVMSG #P :two"); // case-folded to the same channel
        Send(session, "NOTICE #p :three");
        Send(session, "PING marker");

        var texts = new[] { "one", "two", "three" }.Select(_ => channel.ExpectMsg<ToChannel>()).ToArray();
        Assert.Equal(["one", "two", "three"], texts.Select(t => ((MessageRequest)t.Origin.Request).Text));
        Assert.All(texts, t => Assert.Equal(session, t.From.Session));
        Assert.Equal("alice", texts[0].From.Nick);
        connection.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // the PONG waits: three messages are in flight

        session.Tell(Completed.Instance, channel.Ref);
        session.Tell(Completed.Instance, channel.Ref);
        connection.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // still one in flight
        session.Tell(Completed.Instance, channel.Ref);
        Assert.Equal(":irc.test PONG irc.test marker", Next(connection));
        Assert.DoesNotContain(server.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m), m => m is FromSession { Request: MessageRequest });
    }

    [Fact]
    public void Messages_to_other_targets_and_after_the_channel_actor_stopped_go_through_the_chat_service()
    {
        var (session, _, server, channel) = Joined();
        Send(session, "PRIVMSG #elsewhere :not joined");
        server.FishForMessage(m => m is FromSession { Request: MessageRequest { Target: "#elsewhere" } });
        server.Reply(Completed.Instance);

        Watch(channel.Ref);
        channel.Ref.Tell(PoisonPill.Instance);
        ExpectTerminated(channel.Ref);
        // the session hears of the stop a moment after this test does: a line sent meanwhile is lost with the channel
        AwaitAssert(() =>
        {
            Send(session, "PRIVMSG #p :after the restart");
            server.FishForMessage(m => m is FromSession { Request: MessageRequest { Target: "#p" } }, TimeSpan.FromMilliseconds(500));
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Leaving_the_channel_forgets_its_actor()
    {
        var (session, _, server, channel) = Joined();
        session.Tell(new LeftEvent("#p", false), channel.Ref); // kicked
        Send(session, "PRIVMSG #p :still there?");
        server.FishForMessage(m => m is FromSession { Request: MessageRequest { Target: "#p" } });
        channel.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
