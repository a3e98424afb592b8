using Akka.TestKit.Xunit2;
using Xunit;
using static ActorNet.Chat.Tests.Actors.SessionHarness;

namespace ActorNet.Chat.Tests.Actors;

/// <summary>MONITOR, extended-monitor, away-notify and setname through sessions sharing one chat server.</summary>
public sealed class MonitorPresenceTests : TestKit
{
    [Fact]
    public void Monitor_reports_online_offline_nick_changes_and_nothing_for_a_case_change()
    {
        var h = new SessionHarness(this);
        var (alice, a) = h.Registered("alice");
        Send(alice, "MONITOR + bob");
        Assert.Equal(":irc.test 731 alice bob", Next(a));
        var (bob, b) = h.Registered("bob");
        Assert.Equal(":irc.test 730 alice bob!~bob@127.0.0.1", Next(a));
        Send(bob, "NICK BOB");
        Until(b, "NICK");
        Send(bob, "NICK robert");
        Assert.Equal(":irc.test 731 alice BOB", Next(a)); // nothing for the case change, then offline with the current nick
        Send(alice, "MONITOR + robert");
        Assert.Equal(":irc.test 730 alice robert!~bob@127.0.0.1", Next(a));
        Send(bob, "QUIT :bye");
        Assert.Equal(":irc.test 731 alice robert", Next(a));
        Send(alice, "MONITOR S");
        Assert.Equal(":irc.test 731 alice bob,robert", Next(a));
    }

    /// <summary>
    /// The watcher's 730/731 is sent before the client's own welcome or NICK line, so it is queued at the watcher's
    /// connection before the client could act on its line (irctest monitor testNickChange pings the watcher right
    /// after the NICK; sent after, the 731 lost that race now and then on a loaded machine). Both sessions share one
    /// connection probe here, so the probe sees the order in which the users actor sent them.
    /// </summary>
    [Fact]
    public void Watchers_hear_of_a_registration_or_nick_change_before_the_client_itself()
    {
        var h = new SessionHarness(this);
        var shared = CreateTestProbe();
        var (alice, _) = h.Registered("alice", shared);
        Send(alice, "MONITOR + bob,robert");
        Until(shared, " 731 alice bob,robert");
        var (bob, _) = h.Start(connection: shared);
        Send(bob, "NICK bob");
        Send(bob, "USER bob 0 * :bob");
        Assert.Equal(":irc.test 730 alice bob!~bob@127.0.0.1", Next(shared));
        Assert.StartsWith(":irc.test 001 bob ", Next(shared));
        Until(shared, " 422 bob");
        Send(bob, "NICK robert");
        Assert.Equal(":irc.test 731 alice bob", Next(shared));
        Assert.Equal(":irc.test 730 alice robert!~bob@127.0.0.1", Next(shared));
        Assert.Equal(":bob!~bob@127.0.0.1 NICK robert", Next(shared));
    }

    [Fact]
    public void Unmonitored_nicks_say_nothing()
    {
        var h = new SessionHarness(this);
        var (alice, a) = h.Registered("alice");
        Send(alice, "MONITOR + bob");
        Next(a);
        Send(alice, "MONITOR - bob");
        h.Registered("bob");
        Send(alice, "PING x");
        Assert.Equal(":irc.test PONG irc.test x", Next(a));
    }

    [Fact]
    public void Away_and_setname_reach_channel_peers_with_the_cap_and_extended_monitor_watchers()
    {
        var h = new SessionHarness(this);
        var (peer, p) = h.Registered("peer");
        Send(peer, "CAP REQ :away-notify setname");
        Until(p, "ACK");
        var (plain, pl) = h.Registered("plain");
        var (watcher, w) = h.Registered("watcher");
        Send(watcher, "CAP REQ :extended-monitor away-notify setname");
        Until(w, "ACK");
        var (bob, b) = h.Registered("bob");
        foreach (var (s, c) in new[] { (peer, p), (plain, pl), (bob, b) })
        {
            Send(s, "JOIN #room");
            Until(c, " 366 ");
        }

        Send(watcher, "MONITOR + bob");
        Assert.Equal(":irc.test 730 watcher bob!~bob@127.0.0.1", Next(w));
        Until(p, "bob!~bob@127.0.0.1 JOIN");
        Send(bob, "AWAY :lunch");
        Until(b, " 306 ");
        Assert.Equal(":bob!~bob@127.0.0.1 AWAY lunch", Next(p));
        Assert.Equal(":bob!~bob@127.0.0.1 AWAY lunch", Next(w));
        Send(bob, "AWAY");
        Assert.Equal(":bob!~bob@127.0.0.1 AWAY", Next(p));
        Assert.Equal(":bob!~bob@127.0.0.1 AWAY", Next(w));
        Send(bob, "SETNAME :Robert B");
        Assert.Equal(":bob!~bob@127.0.0.1 SETNAME :Robert B", Next(p));
        Assert.Equal(":bob!~bob@127.0.0.1 SETNAME :Robert B", Next(w));
        Send(plain, "PING x"); // the member without the caps got none of it
        var seen = Until(pl, "PONG");
        Assert.DoesNotContain(seen, l => l.Contains(" AWAY") || l.Contains(" SETNAME "));
    }

    [Fact]
    public void Joining_while_away_sends_away_after_the_join_to_away_notify_members()
    {
        var h = new SessionHarness(this);
        var (peer, p) = h.Registered("peer");
        Send(peer, "CAP REQ away-notify");
        Until(p, "ACK");
        Send(peer, "JOIN #room");
        Until(p, " 366 ");
        var (bob, b) = h.Registered("bob");
        Send(bob, "AWAY :gone");
        Until(b, " 306 ");
        Send(bob, "JOIN #room");
        Assert.DoesNotContain(Until(b, " 366 "), l => l.Contains(" AWAY "));
        Assert.Equal(":bob!~bob@127.0.0.1 JOIN #room", Next(p));
        Assert.Equal(":bob!~bob@127.0.0.1 AWAY gone", Next(p));
    }
}

/// <summary>MONITOR and extended-monitor for users of another cluster node, fed to <c>users</c> as the cluster link
/// hands their events on (HELLO, UPDATE, NICK, QUIT).</summary>
public sealed class RemoteMonitorTests : TestKit
{
    private const string NodeB = "akka.tcp://actornet@127.0.0.1:4054";

    [Fact]
    public void Watchers_see_remote_users_come_change_and_go()
    {
        var h = new SessionHarness(this);
        var (alice, a) = h.Registered("alice");
        Send(alice, "CAP REQ :extended-monitor away-notify");
        Until(a, "ACK");
        Send(alice, "MONITOR + bob,robert");
        Assert.Equal(":irc.test 731 alice bob,robert", Next(a));
        var users = Sys.ActorSelection(h.Server.Path / ActorNet.Chat.Server.ChatService.UsersName);
        var bob = new ActorNet.Chat.Cluster.RemoteUserInfo("bob", "~bob", "hb", "Bob", null, false);
        var node = Akka.Actor.Address.Parse(NodeB);
        static ActorNet.Chat.Cluster.WireLine Line(string source, string command, string arg) =>
            ActorNet.Chat.Cluster.WireLine.From(new ActorNet.Chat.Server.Outgoing(ActorNet.Chat.Protocol.IrcMessage.FromSource(source, command, arg), DateTimeOffset.UnixEpoch));
        users.Tell(new ActorNet.Chat.Cluster.UserEvent(node, "bob", new ActorNet.Chat.Cluster.UserRegistered(bob)));
        Assert.Equal(":irc.test 730 alice bob!~bob@hb", Next(a));
        users.Tell(new ActorNet.Chat.Cluster.UserEvent(node, "bob", new ActorNet.Chat.Cluster.UserUpdated(bob with { Away = "out" })));
        Assert.Equal(":bob!~bob@hb AWAY out", Next(a));
        users.Tell(new ActorNet.Chat.Cluster.UserEvent(node, "bob", new ActorNet.Chat.Cluster.UserRenamed("robert", Line("bob!~bob@hb", "NICK", "robert"))));
        Assert.Equal(":irc.test 731 alice bob", Next(a));
        Assert.Equal(":irc.test 730 alice robert!~bob@hb", Next(a));
        users.Tell(new ActorNet.Chat.Cluster.UserEvent(node, "robert", new ActorNet.Chat.Cluster.UserQuit(Line("robert!~bob@hb", "QUIT", "bye"))));
        Assert.Equal(":irc.test 731 alice robert", Next(a));
    }
}

/// <summary>WHOIS 317 and WHOX <c>l</c>: seconds since the user last talked (or registered).</summary>
public sealed class IdleTimeTests : TestKit
{
    [Fact]
    public void Idle_counts_from_registration_and_restarts_with_a_privmsg()
    {
        var h = new SessionHarness(this);
        var (alice, a) = h.Registered("alice");
        var (bob, b) = h.Registered("bob");
        h.Time.Advance(TimeSpan.FromSeconds(42));
        Send(alice, "WHOIS bob");
        Assert.Contains(Until(a, " 318 "), l => l.StartsWith(":irc.test 317 alice bob 42 ", StringComparison.Ordinal));
        Send(bob, "PRIVMSG alice :hi");
        Until(a, "PRIVMSG alice");
        h.Time.Advance(TimeSpan.FromSeconds(5));
        Send(alice, "WHO bob %nl");
        Assert.Equal(":irc.test 354 alice bob 5", Next(a));
    }
}
