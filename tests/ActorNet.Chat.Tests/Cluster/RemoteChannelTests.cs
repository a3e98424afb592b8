using System.Collections.Immutable;
using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Server;
using ActorNet.Chat.Settings;
using ActorNet.Transport;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorNet.Chat.Tests.Cluster;

/// <summary>A clustered channel actor (the test actor is its parent, the chat server): what it publishes for the
/// other nodes, and how it applies their events to its local members and its view of remote members.</summary>
public sealed class RemoteChannelTests : TestKit
{
    private static readonly Address NodeB = Address.Parse("akka.tcp://actornet@127.0.0.1:4054");

    private readonly ChatSettings _settings = ChatSettings.Default with { ServerName = "irc.test" };
    private readonly ManualTime _time = new();

    private sealed record Peer(TestProbe Session, TestProbe Connection, MemberRef Ref);

    private Peer NewPeer(string nick)
    {
        var state = SessionState.Connected("h") with { Nick = nick, User = "~" + nick, Registered = true };
        var (session, connection) = (CreateTestProbe(), CreateTestProbe());
        return new Peer(session, connection, new MemberRef(session.Ref, connection.Ref, state));
    }

    private static void Ask(IActorRef channel, Peer p, ChatRequest request) =>
        channel.Tell(new ToChannel(new FromSession(p.Session.Ref, p.Connection.Ref, request), p.Ref));

    private static string Text(Connection.Send s) => System.Text.Encoding.UTF8.GetString(s.Payload.ToArray());

    private static RemoteUserInfo Bob => new("bob", "~bob", "hb", "Bob", null, false);

    private static ChannelEvent FromB(ChannelChange change, IrcMessage line) =>
        new(NodeB, "#room", "#Room", Bob, new WireLine(Outgoing.Encode(line), 0, null), change);

    /// <summary>The stamp of a channel alice founds here (now, on this test system).</summary>
    private ChannelStamp Founded => new(_time.GetUtcNow().UtcTicks, ((ExtendedActorSystem)Sys).Provider.DefaultAddress);

    private (IActorRef Channel, Peer Alice) ChannelWithAlice()
    {
        var channel = ChildActorOf(ChannelActor.Props("#Room", _settings, _time, clustered: true));
        var alice = NewPeer("alice");
        Ask(channel, alice, new JoinRequest("#Room", null));
        alice.Session.ExpectMsg<JoinedEvent>();
        alice.Connection.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m);
        return (channel, alice);
    }

    [Fact]
    public void Local_events_are_published_once_to_the_server_as_plain_records()
    {
        var (channel, alice) = ChannelWithAlice();
        var join = FishForMessage<ChannelEvent>(_ => true);
        Assert.Equal((new MemberJoined(true, ChannelModes.Default, Founded), "#room", "alice", null), (join.Change, join.Key, join.Who.Nick, join.Origin));
        Assert.Equal(":alice!~alice@h JOIN #Room", join.Line.Body.ToString(System.Text.Encoding.UTF8));

        Ask(channel, alice, new MessageRequest("PRIVMSG", "#room", "hello nodes", []));
        var message = FishForMessage<ChannelEvent>(_ => true);
        Assert.Equal(new ChannelMessage(MessageKind.Privmsg), message.Change);
        Assert.Equal(":alice!~alice@h PRIVMSG #Room :hello nodes", Text(message.Line.ToOutgoing().For(ImmutableHashSet<string>.Empty)));
    }

    [Fact]
    public void A_local_user_s_QUIT_for_the_other_nodes_is_handed_back_after_its_earlier_channel_messages()
    {
        var (channel, alice) = ChannelWithAlice();
        FishForMessage<ChannelEvent>(e => e.Change is MemberJoined);
        Ask(channel, alice, new MessageRequest("PRIVMSG", "#room", "last words", []));
        var quit = new Outgoing(IrcMessage.FromSource("alice!~alice@h", "QUIT", "bye"), _time.GetUtcNow());
        var announce = new UserEvent(NodeB, "alice", new UserQuit(WireLine.From(quit)));
        channel.Tell(new PeerBroadcast(quit, alice.Session.Ref, null, [], [alice.Connection.Ref], null, announce));

        var toServer = ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m).Where(m => m is ChannelEvent or UserEvent).ToList();
        Assert.Equal(2, toServer.Count);
        Assert.IsType<ChannelMessage>(Assert.IsType<ChannelEvent>(toServer[0]).Change);
        Assert.Same(announce, toServer[1]);
    }

    [Fact]
    public void Remote_join_message_and_part_reach_local_members_and_NAMES_lists_remote_members()
    {
        var (channel, alice) = ChannelWithAlice();
        channel.Tell(FromB(new MemberJoined(false, ChannelModes.Default), IrcMessage.FromSource("bob!~bob@hb", "JOIN", "#Room")));
        Assert.Equal(":bob!~bob@hb JOIN #Room", Text(alice.Connection.ExpectMsg<Connection.Send>()));

        Ask(channel, alice, new NamesRequest("#room"));
        Assert.Equal(":irc.test 353 alice = #Room :@alice bob", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        alice.Connection.ExpectMsg<Connection.Send>(); // 366

        channel.Tell(FromB(new ChannelMessage(MessageKind.Privmsg), IrcMessage.FromSource("bob!~bob@hb", "PRIVMSG", "#Room", "hi from b")));
        Assert.Equal(":bob!~bob@hb PRIVMSG #Room :hi from b", Text(alice.Connection.ExpectMsg<Connection.Send>()));

        channel.Tell(FromB(MemberParted.Instance, IrcMessage.FromSource("bob!~bob@hb", "PART", "#Room")));
        Assert.Equal(":bob!~bob@hb PART #Room", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        Ask(channel, alice, new NamesRequest("#room"));
        Assert.Equal(":irc.test 353 alice = #Room @alice", Text(alice.Connection.ExpectMsg<Connection.Send>()));
    }

    [Fact]
    public void A_remote_kick_of_a_local_member_removes_it_here()
    {
        var (channel, alice) = ChannelWithAlice();
        channel.Tell(FromB(new MemberKicked("alice"), IrcMessage.FromSource("bob!~bob@hb", "KICK", "#Room", "alice", "bye now")));
        Assert.Equal(":bob!~bob@hb KICK #Room alice :bye now", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        alice.Session.ExpectMsg<LeftEvent>(e => Assert.False(e.ByRequest));
        FishForMessage(m => m is ChannelEmpty);
    }

    [Fact]
    public void The_older_stamp_wins_and_the_lower_node_address_breaks_a_tie()
    {
        var (a, b) = (Address.Parse("akka.tcp://actornet@127.0.0.1:4053"), NodeB);
        Assert.True(new ChannelStamp(10, b).Precedes(new ChannelStamp(11, a)));
        Assert.False(new ChannelStamp(11, a).Precedes(new ChannelStamp(10, b)));
        Assert.True(new ChannelStamp(10, a).Precedes(new ChannelStamp(10, b)));
        Assert.False(new ChannelStamp(10, b).Precedes(new ChannelStamp(10, a)));
        Assert.False(new ChannelStamp(10, a).Precedes(new ChannelStamp(10, a)));
        Assert.True(ChannelStamp.Counts(new ChannelStamp(10, a), new ChannelStamp(10, a)));
        Assert.False(ChannelStamp.Counts(new ChannelStamp(10, b), new ChannelStamp(10, a)));
        Assert.True(ChannelStamp.Counts(null, new ChannelStamp(10, a))); // an older node's word: as before
        Assert.True(ChannelStamp.Counts(new ChannelStamp(10, b), null));
    }

    [Fact]
    public void A_founder_join_elsewhere_with_an_older_stamp_takes_the_local_founder_s_op()
    {
        var (channel, alice) = ChannelWithAlice();
        FishForMessage<ChannelEvent>(e => e.Change is MemberJoined);
        var older = new ChannelStamp(Founded.CreatedTicks - 1, NodeB);
        channel.Tell(FromB(new MemberJoined(true, ChannelModes.Default, older), IrcMessage.FromSource("bob!~bob@hb", "JOIN", "#Room")));
        Assert.Equal(":bob!~bob@hb JOIN #Room", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        Assert.Equal(":irc.test MODE #Room -o+o alice bob", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        // the link hears of the stamp from the channel: its snapshot for a late node must carry the one that counts
        Assert.Equal(new ClusterLinkActor.StampLearned("#room", older), FishForMessage<ClusterLinkActor.StampLearned>(_ => true));
        var deop = FishForMessage<ChannelEvent>(e => e.Change is ModesChanged);
        Assert.Equal(new ModesChanged([new ModeChange(false, 'o', "alice")]), deop.Change); // the other nodes apply it too
        Assert.Equal(":irc.test MODE #Room -o alice", deop.Line.Body.ToString(System.Text.Encoding.UTF8));

        Ask(channel, alice, new NamesRequest("#room"));
        Assert.Equal(":irc.test 353 alice = #Room :alice @bob", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        alice.Connection.ExpectMsg<Connection.Send>(); // 366
        Ask(channel, alice, new TopicRequest("#Room", "not an op any more"));
        Assert.StartsWith(":irc.test 482 alice #Room ", Text(alice.Connection.ExpectMsg<Connection.Send>()));

        // a third node's JOIN stamped the same: no founder op for it, and no change here
        var carol = new RemoteUserInfo("carol", "~carol", "hc", "Carol", null, false);
        channel.Tell(new ChannelEvent(Address.Parse("akka.tcp://actornet@127.0.0.1:4055"), "#room", "#Room", carol,
            new WireLine(Outgoing.Encode(IrcMessage.FromSource("carol!~carol@hc", "JOIN", "#Room")), 0, null), new MemberJoined(false, ChannelModes.Default, older)));
        alice.Connection.ExpectMsg<Connection.Send>(); // the JOIN
        Ask(channel, alice, new NamesRequest("#room"));
        Assert.Equal(":irc.test 353 alice = #Room :alice @bob carol", Text(alice.Connection.ExpectMsg<Connection.Send>()));
    }

    [Fact]
    public void A_founder_join_elsewhere_with_a_newer_stamp_gets_no_op_here()
    {
        var (channel, alice) = ChannelWithAlice();
        var newer = new ChannelStamp(Founded.CreatedTicks + 1, NodeB);
        channel.Tell(FromB(new MemberJoined(true, ChannelModes.Default, newer), IrcMessage.FromSource("bob!~bob@hb", "JOIN", "#Room")));
        Assert.Equal(":bob!~bob@hb JOIN #Room", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        Ask(channel, alice, new NamesRequest("#room"));
        Assert.Equal(":irc.test 353 alice = #Room :@alice bob", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        alice.Connection.ExpectMsg<Connection.Send>(); // 366

        // bob's node hears of alice's older stamp and takes his @: here he never had it, so alice sees nothing of it
        channel.Tell(FromB(new ModesChanged([new ModeChange(false, 'o', "bob")]), IrcMessage.FromSource("irc.test", "MODE", "#Room", "-o", "bob")));
        channel.Tell(FromB(new ChannelMessage(MessageKind.Privmsg), IrcMessage.FromSource("bob!~bob@hb", "PRIVMSG", "#Room", "next")));
        Assert.Equal(":bob!~bob@hb PRIVMSG #Room next", Text(alice.Connection.ExpectMsg<Connection.Send>()));
    }

    [Fact]
    public void A_snapshot_with_an_older_stamp_takes_the_local_founder_s_op_and_one_with_a_newer_stamp_gives_no_ops()
    {
        var (channel, alice) = ChannelWithAlice();
        var newer = new ChannelStamp(Founded.CreatedTicks + 1, NodeB);
        channel.Tell(new RemoteSync(NodeB, "#room", "#Room", [new ChannelMemberInfo("bob", true, true)], [Bob], null, null, 0, null, newer));
        Ask(channel, alice, new NamesRequest("#room"));
        Assert.Equal(":irc.test 353 alice = #Room :@alice bob", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        alice.Connection.ExpectMsg<Connection.Send>(); // 366

        var older = new ChannelStamp(Founded.CreatedTicks - 1, NodeB);
        channel.Tell(new RemoteSync(NodeB, "#room", "#Room", [new ChannelMemberInfo("bob", true, false)], [Bob], null, null, 0, null, older));
        Assert.Equal(":irc.test MODE #Room -o alice", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        Assert.Equal(new ClusterLinkActor.StampLearned("#room", older), FishForMessage<ClusterLinkActor.StampLearned>(_ => true));
        Ask(channel, alice, new NamesRequest("#room"));
        Assert.Equal(":irc.test 353 alice = #Room :alice @bob", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        alice.Connection.ExpectMsg<Connection.Send>(); // 366
        Ask(channel, alice, new ChannelModeRequest("#Room", []));
        alice.Connection.ExpectMsg<Connection.Send>(); // 324
        var created = (older.CreatedTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond;
        Assert.Equal($":irc.test 329 alice #Room {created}", Text(alice.Connection.ExpectMsg<Connection.Send>())); // the channel's age is the winner's
    }

    [Fact]
    public void A_late_joiner_learns_C_and_the_e_and_I_lists_from_the_snapshot()
    {
        var channel = ChildActorOf(ChannelActor.Props("#Room", _settings, _time, clustered: true));
        var modes = ChannelModes.Default with { InviteOnly = true, Bans = ["*!*@h"] };
        modes = modes with { NoCtcp = true, Excepts = ["alice!*@*"], InviteExcepts = ["*!~alice@*"] };
        channel.Tell(new RemoteSync(NodeB, "#room", "#Room", [new ChannelMemberInfo("bob", true, false)], [Bob], null, null, 0, modes));
        var alice = NewPeer("alice");
        Ask(channel, alice, new JoinRequest("#Room", null)); // +i and banned, but +I and +e let her in
        alice.Session.ExpectMsg<JoinedEvent>();
        var join = FishForMessage<ChannelEvent>(e => e.Change is MemberJoined);
        Assert.Equal(modes, ((MemberJoined)join.Change).Modes); // and what she joined is what later joiners learn
        alice.Connection.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m);

        Ask(channel, alice, new ChannelModeRequest("#Room", ["e"]));
        Assert.Equal(":irc.test 348 alice #Room alice!*@*", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        alice.Connection.ExpectMsg<Connection.Send>(); // 349
        Ask(channel, alice, new ChannelModeRequest("#Room", ["I"]));
        Assert.Equal(":irc.test 346 alice #Room *!~alice@*", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        alice.Connection.ExpectMsg<Connection.Send>(); // 347
        Ask(channel, alice, new ChannelModeRequest("#Room", []));
        Assert.StartsWith(":irc.test 324 alice #Room +Cint", Text(alice.Connection.ExpectMsg<Connection.Send>()));
        alice.Connection.ExpectMsg<Connection.Send>(); // 329
        Ask(channel, alice, new MessageRequest("PRIVMSG", "#room", "\u0001VERSION\u0001", []));
        Assert.StartsWith(":irc.test 404 alice #Room ", Text(alice.Connection.ExpectMsg<Connection.Send>()));
    }

    [Fact]
    public void A_remote_quit_reaches_each_local_member_once_and_the_last_remote_member_leaving_empties_the_channel()
    {
        var channel = ChildActorOf(ChannelActor.Props("#Room", _settings, _time, clustered: true));
        channel.Tell(new RemoteSync(NodeB, "#room", "#Room", [new ChannelMemberInfo("bob", true, false)], [Bob], "a topic", "bob!~bob@hb", 0));
        var alice = NewPeer("alice");
        Ask(channel, alice, new JoinRequest("#Room", null));
        alice.Session.ExpectMsg<JoinedEvent>();
        var burst = alice.Connection.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => Text((Connection.Send)m));
        Assert.Contains(":irc.test 332 alice #Room :a topic", burst);
        Assert.Contains(":irc.test 353 alice = #Room :alice @bob", burst); // not op: bob (remote) was there first

        var quit = new Outgoing(IrcMessage.FromSource("bob!~bob@hb", "QUIT", "Node lost: node-b"), _time.GetUtcNow());
        channel.Tell(new RemotePeer(quit, NodeB, "bob", null, [], ImmutableHashSet<IActorRef>.Empty));
        Assert.Equal(":bob!~bob@hb QUIT :Node lost: node-b", Text(alice.Connection.ExpectMsg<Connection.Send>()));

        Ask(channel, alice, new PartRequest("#Room", null));
        FishForMessage(m => m is ChannelEmpty);
    }
}
