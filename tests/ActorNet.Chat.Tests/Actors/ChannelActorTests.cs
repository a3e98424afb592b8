using ActorNet.Chat.Core;
using ActorNet.Chat.Server;
using ActorNet.Chat.Settings;
using ActorNet.Transport;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorNet.Chat.Tests.Actors;

public sealed class ChannelActorTests : TestKit
{
    private readonly ChatSettings _settings = ChatSettings.Default with { ServerName = "irc.test" };
    private readonly ManualTime _time = new();

    private sealed record Peer(TestProbe Session, TestProbe Connection, MemberRef Ref);

    private Peer NewPeer(string nick, params string[] caps)
    {
        var session = CreateTestProbe();
        var connection = CreateTestProbe();
        var state = SessionState.Connected("h") with
        {
            Nick = nick, User = "~" + nick, Registered = true,
            Caps = System.Collections.Immutable.ImmutableHashSet.Create(StringComparer.Ordinal, caps),
        };
        return new Peer(session, connection, new MemberRef(session.Ref, connection.Ref, state));
    }

    private static void Ask(IActorRef channel, Peer p, ChatRequest request) =>
        channel.Tell(new ToChannel(new FromSession(p.Session.Ref, p.Connection.Ref, request), p.Ref));

    private static string Text(Connection.Send s) => System.Text.Encoding.UTF8.GetString(s.Payload.ToArray());

    private void Join(IActorRef channel, Peer p)
    {
        Ask(channel, p, new JoinRequest("#Room", null));
        p.Session.ExpectMsg<JoinedEvent>(e => Assert.Equal("#room", e.Channel));
        p.Connection.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m); // drain the join burst
    }

    [Fact]
    public void Fans_out_one_encoded_send_to_every_member_but_the_sender()
    {
        var channel = ChildActorOf(ChannelActor.Props("#Room", _settings, _time));
        var peers = Enumerable.Range(0, 5).Select(i => NewPeer("p" + i)).ToArray();
        foreach (var p in peers) Join(channel, p);
        foreach (var p in peers) p.Connection.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m); // later joins
        ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m); // membership reports to the parent

        Ask(channel, peers[0], new MessageRequest("PRIVMSG", "#room", "hello all", []));
        peers[0].Session.ExpectMsg<Completed>();
        var sends = peers.Skip(1).Select(p => p.Connection.ExpectMsg<Connection.Send>()).ToArray();
        Assert.All(sends, s => Assert.Same(sends[0], s)); // encoded once, the same message to everyone
        Assert.Equal(":p0!~p0@h PRIVMSG #Room :hello all", Text(sends[0]));
        peers[0].Connection.ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // no echo-message cap
    }

    [Fact]
    public void First_joiner_is_operator_and_the_channel_reports_empty_when_the_last_leaves()
    {
        var channel = ChildActorOf(ChannelActor.Props("#Room", _settings, _time));
        var a = NewPeer("a");
        Ask(channel, a, new JoinRequest("#Room", null));
        Assert.Equal(":a!~a@h JOIN #Room", Text(a.Connection.ExpectMsg<Connection.Send>()));
        Assert.Equal(":irc.test 353 a = #Room @a", Text(a.Connection.ExpectMsg<Connection.Send>()));
        Assert.Equal(":irc.test 366 a #Room :End of /NAMES list", Text(a.Connection.ExpectMsg<Connection.Send>()));
        a.Session.ExpectMsg<JoinedEvent>();
        ExpectMsg<Membership>(m => Assert.True(m.Joined));

        Ask(channel, a, new PartRequest("#Room", null));
        Assert.Equal(":a!~a@h PART #Room", Text(a.Connection.ExpectMsg<Connection.Send>()));
        a.Session.ExpectMsg<LeftEvent>(e => Assert.True(e.ByRequest));
        FishForMessage(m => m is ChannelEmpty);

        // Closing: a late request goes back to the parent (the server) to be routed again.
        var b = NewPeer("b");
        Ask(channel, b, new JoinRequest("#Room", null));
        FishForMessage(m => m is FromSession { Request: JoinRequest });
    }

    [Fact]
    public void Nick_and_quit_broadcasts_reach_each_peer_once_across_channels()
    {
        var one = ChildActorOf(ChannelActor.Props("#one", _settings, _time));
        var two = ChildActorOf(ChannelActor.Props("#two", _settings, _time));
        var subject = NewPeer("s");
        var both = NewPeer("both");
        var onlyTwo = NewPeer("two");
        foreach (var (ch, p) in new[] { (one, subject), (two, subject), (one, both), (two, both), (two, onlyTwo) })
        {
            ch.Tell(new ToChannel(new FromSession(p.Session.Ref, p.Connection.Ref, new JoinRequest(ch.Equals(one) ? "#one" : "#two", null)), p.Ref));
            p.Session.ExpectMsg<JoinedEvent>();
        }

        foreach (var p in new[] { subject, both, onlyTwo }) p.Connection.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m);
        var quit = new Outgoing(ActorNet.Chat.Protocol.IrcMessage.FromSource("s!~s@h", "QUIT", "bye now"), _time.GetUtcNow());
        one.Tell(new PeerBroadcast(quit, subject.Session.Ref, null, [two], [subject.Connection.Ref], null));
        Assert.Equal(":s!~s@h QUIT :bye now", Text(both.Connection.ExpectMsg<Connection.Send>()));
        Assert.Equal(":s!~s@h QUIT :bye now", Text(onlyTwo.Connection.ExpectMsg<Connection.Send>()));
        both.Connection.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        subject.Connection.ExpectNoMsg(TimeSpan.FromMilliseconds(10));
    }
}
