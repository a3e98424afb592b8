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
    public void Messages_queued_together_reach_each_member_as_one_shared_batch_minus_its_own_and_complete_after()
    {
        var channel = ChildActorOf(ChannelActor.Props("#Room", _settings, _time));
        var peers = new[] { NewPeer("p0"), NewPeer("p1"), NewPeer("p2", CapCommands.EchoMessage), NewPeer("p3") };
        foreach (var p in peers) Join(channel, p);
        foreach (var p in peers) p.Connection.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m);

        const int perSender = 100; // 300 messages told at once: the channel gets them faster than it can send them
        for (var i = 0; i < perSender; i++)
            for (var s = 0; s < 3; s++)
                Ask(channel, peers[s], new MessageRequest("PRIVMSG", "#room", $"{s}.{i}", []));

        var batches = 0;
        var shared = new HashSet<ActorNet.Framing.FrameBatch>(ReferenceEqualityComparer.Instance);
        foreach (var (peer, index) in peers.Select((p, i) => (p, i)))
        {
            // p2 has echo-message: it gets its own messages too; the others get everyone's but their own
            var expected = Enumerable.Range(0, 3).Where(s => s != index || index == 2).Sum(_ => perSender);
            var lines = new List<string>();
            while (lines.Count < expected)
            {
                switch (peer.Connection.ExpectMsg<object>())
                {
                    case Connection.Send one: lines.Add(Text(one)); break;
                    case Connection.SendBatch batch:
                        batches++;
                        shared.Add(batch.Frames);
                        lines.AddRange(batch.Frames.PayloadsExcept(batch.Skip).Select(b => System.Text.Encoding.UTF8.GetString(b.ToArray())));
                        break;
                }
            }

            for (var s = 0; s < 3; s++)
            {
                var fromS = lines.Where(l => l.StartsWith($":p{s}!", StringComparison.Ordinal)).Select(l => l[(l.LastIndexOf(' ') + 1)..]).ToList();
                Assert.Equal(s == index && index != 2 ? [] : Enumerable.Range(0, perSender).Select(i => $"{s}.{i}"), fromS); // complete, in order
            }
        }

        Assert.True(batches > 0, "300 messages told at once were sent one by one");
        Assert.True(shared.Count < batches, $"{batches} batches sent, {shared.Count} distinct: members were not sent one shared batch");
        for (var s = 0; s < 3; s++)
            for (var i = 0; i < perSender; i++) peers[s].Session.ExpectMsg<Completed>();
    }

    [Fact]
    public void A_sender_is_completed_only_after_its_message_went_out()
    {
        var channel = ChildActorOf(ChannelActor.Props("#Room", _settings, _time));
        var a = NewPeer("a", CapCommands.EchoMessage);
        Join(channel, a);
        for (var i = 0; i < 50; i++)
        {
            Ask(channel, a, new MessageRequest("PRIVMSG", "#room", "m" + i, []));
        }

        // every Completed comes after the echo of its message: count echoes seen before each Completed
        var echoes = 0;
        var completed = 0;
        var probe = a.Connection;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (completed < 50)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {completed} of 50 completed");
            while (a.Session.HasMessages)
            {
                Assert.IsType<Completed>(a.Session.ReceiveOne(TimeSpan.FromSeconds(1)));
                completed++;
            }

            while (probe.HasMessages) // a completion seen above was sent after its echo: that echo is here by now
                echoes += probe.ReceiveOne(TimeSpan.FromSeconds(1)) switch
                {
                    Connection.SendBatch batch => batch.Frames.PayloadsExcept(batch.Skip).Count(),
                    _ => 1,
                };
            Assert.True(echoes >= completed, $"{completed} completed but only {echoes} echoed");
        }
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
