using ActorNet.Chat.Cluster;
using ActorNet.Chat.Server;
using ActorNet.IntegrationTests.Chat;
using Akka.Actor;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>Chat across in-process cluster nodes: nick uniqueness, channels, private messages, node loss.</summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class ClusterChatTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 120_000)]
    public async Task Two_clients_racing_for_one_nick_on_two_nodes_end_with_exactly_one_owner()
    {
        await using var kit = await ChatClusterKit.StartAsync(2);
        await Race(kit.Nodes[0], kit.Nodes[1], "racer", rounds: 25);

        // every winner has disconnected since: its nick is free again, on either node
        var again = await kit.ClientAsync(1, "racer0");
        var other = await kit.ClientAsync(0, "racer1");
        Assert.Equal("racer0", again.Nick);
        Assert.Equal("racer1", other.Nick);
    }

    [Fact(Timeout = 120_000)]
    public async Task Channel_events_cross_nodes_and_NAMES_and_WHO_list_members_of_both()
    {
        await using var kit = await ChatClusterKit.StartAsync(2);
        var alice = await kit.ClientAsync(0, "alice");
        var bob = await kit.ClientAsync(1, "bob");
        await alice.CommandAsync("JOIN #c");
        await ChatClusterKit.AwaitNamesAsync(bob, "#c", "alice"); // node-b knows alice is there: bob will not be op
        await bob.CommandAsync("JOIN #c");
        await ChatClusterKit.AwaitNamesAsync(alice, "#c", "alice", "bob");
        await ChatClusterKit.AwaitNamesAsync(bob, "#c", "alice", "bob");
        Assert.Contains("@alice", string.Join(' ', await bob.CommandAsync("NAMES #c"))); // the first member anywhere is op

        // counts and order, both ways
        const int count = 200;
        for (var i = 0; i < count; i++) await bob.SendAsync($"PRIVMSG #c :b-{i}");
        for (var i = 0; i < count; i++) await alice.SendAsync($"PRIVMSG #c :a-{i}");
        for (var i = 0; i < count; i++) Assert.Equal($"b-{i}", ChatClusterKit.LastParam(await alice.ExpectAsync(" PRIVMSG #c ")));
        for (var i = 0; i < count; i++) Assert.Equal($"a-{i}", ChatClusterKit.LastParam(await bob.ExpectAsync(" PRIVMSG #c ")));

        await bob.SendAsync("NOTICE #c :hello there");
        Assert.StartsWith(":bob!", await alice.ExpectAsync(" NOTICE #c :hello there"));
        await alice.SendAsync("TOPIC #c :cluster topic");
        Assert.StartsWith(":alice!", await bob.ExpectAsync(" TOPIC #c :cluster topic"));
        IrcAssert.HasNumeric(await bob.CommandAsync("TOPIC #c"), "332");
        IrcAssert.HasNumeric(await bob.CommandAsync("TOPIC #c :not an op yet"), "482"); // +t holds on node-b too

        // modes cross too: an op on node-a ops bob on node-b, who can then set the (locked) topic there
        await alice.SendAsync("MODE #c +o bob");
        Assert.StartsWith(":alice!", await bob.ExpectAsync(" MODE #c +o bob"));
        await bob.SendAsync("TOPIC #c :set by an op on node-b");
        Assert.StartsWith(":bob!", await alice.ExpectAsync(" TOPIC #c :set by an op on node-b"));
        Assert.Contains("@bob", string.Join(' ', await alice.CommandAsync("NAMES #c")));

        var dave = await kit.ClientAsync(1, "dave");
        await dave.SendAsync("JOIN #c");
        Assert.StartsWith(":dave!", await alice.ExpectAsync(" JOIN #c"));
        Assert.Equal(["alice", "bob", "dave"], ChatClusterKit.Names(await alice.CommandAsync("NAMES #c")));
        var who = await alice.CommandAsync("WHO #c");
        Assert.Equal(3, who.Count(l => l.Split(' ').ElementAtOrDefault(1) == "352"));

        await dave.SendAsync("NICK davey");
        Assert.StartsWith(":dave!", await alice.ExpectAsync(" NICK davey"));
        await dave.SendAsync("PART #c :gone away");
        Assert.StartsWith(":davey!", await alice.ExpectAsync(" PART #c :gone away"));

        await alice.SendAsync("KICK #c bob :out you go");
        Assert.StartsWith(":alice!", await bob.ExpectAsync(" KICK #c bob :out you go"));
        Assert.Equal(["alice"], ChatClusterKit.Names(await alice.CommandAsync("NAMES #c")));

        await bob.CommandAsync("JOIN #c");
        await alice.ExpectAsync(l => l.StartsWith(":bob!", StringComparison.Ordinal) && l.Contains(" JOIN #c"));
        // per-sender order holds across a NICK and a QUIT too (they travel behind the sender's channel messages)
        for (var i = 0; i < 20; i++) await bob.SendAsync($"PRIVMSG #c :before-{i}");
        await bob.SendAsync("NICK bobby");
        for (var i = 0; i < 20; i++) await bob.SendAsync($"PRIVMSG #c :after-{i}");
        await bob.SendAsync("QUIT :see you");
        var seen = new List<string>();
        while (seen.Count == 0 || !seen[^1].Contains(" QUIT :", StringComparison.Ordinal))
            seen.Add(await alice.ExpectAsync(l => l.StartsWith(":bob", StringComparison.Ordinal)));
        string[] expected = [.. Enumerable.Range(0, 20).Select(i => $":bob!~bob@127.0.0.1 PRIVMSG #c before-{i}"), ":bob!~bob@127.0.0.1 NICK bobby",
            .. Enumerable.Range(0, 20).Select(i => $":bobby!~bob@127.0.0.1 PRIVMSG #c after-{i}"), ":bobby!~bob@127.0.0.1 QUIT :Quit: see you"];
        Assert.Equal(expected, seen.Skip(seen.Count - expected.Length));
        await ChatClusterKit.AwaitNamesAsync(alice, "#c", "alice");
    }

    [Fact(Timeout = 120_000)]
    public async Task PRIVMSG_reaches_a_nick_on_another_node_in_order()
    {
        await using var kit = await ChatClusterKit.StartAsync(2);
        // the kit's nodes refuse to send any ActorNet type as JSON: everything below crosses with the chat binding
        Assert.IsType<ChatJsonGuard>(kit.Nodes[0].System.Serialization.FindSerializerForType(typeof(ChannelsActor.Resume)));
        var alice = await kit.ClientAsync(0, "alice");
        var bob = await kit.ClientAsync(1, "bob");
        await ChatClusterKit.AwaitKnownAsync(alice, "bob");

        const int count = 100;
        for (var i = 0; i < count; i++) await alice.SendAsync($"PRIVMSG bob :m-{i}");
        for (var i = 0; i < count; i++)
        {
            var line = await bob.ExpectAsync(" PRIVMSG bob m-");
            Assert.StartsWith(":alice!", line);
            Assert.Equal($"m-{i}", ChatClusterKit.LastParam(line));
        }

        await bob.SendAsync("PRIVMSG alice :back at you");
        Assert.StartsWith(":bob!", await alice.ExpectAsync(" PRIVMSG alice :back at you"));

        var whois = await alice.CommandAsync("WHOIS bob");
        IrcAssert.HasNumeric(whois, "311");
        Assert.Contains(whois, l => l.Split(' ').ElementAtOrDefault(1) == "312" && l.Contains(" bob node-b "));
        Assert.EndsWith(" bob", Assert.Single(await alice.CommandAsync("ISON bob nobody")));

        // a rename travels too; an unknown nick is 401
        await bob.SendAsync("NICK robert");
        await bob.ExpectAsync(" NICK robert");
        await ChatClusterKit.AwaitKnownAsync(alice, "robert");
        IrcAssert.HasNumeric(await alice.CommandAsync("PRIVMSG bob :anyone?"), "401");
    }

    [Fact(Timeout = 150_000)]
    public async Task Every_PRIVMSG_to_a_user_of_a_cut_off_node_gets_401_none_is_lost_in_silence()
    {
        await using var kit = await ChatClusterKit.StartAsync(3);
        var alice = await kit.ClientAsync(0, "alice");
        await kit.ClientAsync(2, "carol");
        await ChatClusterKit.AwaitKnownAsync(alice, "carol");

        await kit.Nodes[2].CutOffAsync();
        const int count = 10;
        for (var i = 0; i < count; i++) await alice.SendAsync($"PRIVMSG carol :lost-{i}");
        // sent before anyone noticed: unacknowledged, failed when the failure detector reports node-c unreachable
        for (var i = 0; i < count; i++)
            Assert.EndsWith("No such nick/channel (its server is unreachable)", await alice.ExpectAsync(l => l.Split(' ').ElementAtOrDefault(1) == "401", Long));

        // from now on until it is removed, refused at once; afterwards carol is simply unknown
        IrcAssert.HasNumeric(await alice.CommandAsync("PRIVMSG carol :still there?"), "401");
        await kit.Nodes[0].AwaitMemberCountAsync(2, Long);
        IrcAssert.HasNumeric(await alice.CommandAsync("PRIVMSG carol :gone?"), "401");
    }

    [Fact(Timeout = 150_000)]
    public async Task A_lost_node_s_users_quit_on_the_others_naming_the_node_their_nicks_become_free_and_a_new_node_joins_in()
    {
        await using var kit = await ChatClusterKit.StartAsync(3);
        var alice = await kit.ClientAsync(0, "alice");
        var bob = await kit.ClientAsync(1, "bob");
        var carol = await kit.ClientAsync(2, "carol");
        foreach (var c in new[] { alice, bob, carol }) await c.CommandAsync("JOIN #room");
        foreach (var c in new[] { alice, bob, carol }) await ChatClusterKit.AwaitNamesAsync(c, "#room", "alice", "bob", "carol");

        await kit.Nodes[2].CutOffAsync();
        foreach (var c in new[] { alice, bob })
        {
            var quit = await c.ExpectAsync(l => l.StartsWith(":carol!", StringComparison.Ordinal) && l.Contains(" QUIT "), Long);
            Assert.Contains("node-c", quit);
        }

        await ChatClusterKit.AwaitNamesAsync(alice, "#room", "alice", "bob");
        await ChatClusterKit.AwaitNamesAsync(bob, "#room", "alice", "bob");
        await alice.SendAsync("PRIVMSG #room :still here");
        await bob.ExpectAsync(" PRIVMSG #room :still here");

        // carol's nick is free again (released by the registry when node-c was removed)
        var newCarol = await kit.ConnectAsync(1, "carol");
        await ChatClusterKit.RegisterWithRetryAsync(newCarol, "carol");

        // modes and prefixes set before a node joins: it learns them from the snapshots
        await alice.SendAsync("MODE #room +ok bob sesame");
        // (alice joined first: she is the one founder op, even if bob's join raced hers, see README)
        await bob.ExpectAsync(l => l.StartsWith(":alice!", StringComparison.Ordinal) && l.Contains(" MODE #room +") && l.Contains("sesame"));

        // a node that joins later learns the channel from the others' snapshots and chats at once
        await kit.AddNodeAsync("node-d", 3);
        var dan = await kit.ClientAsync(3, "dan");
        await ChatClusterKit.AwaitNamesAsync(dan, "#room", "alice", "bob");
        IrcAssert.HasNumeric(await dan.CommandAsync("JOIN #room"), "475"); // +k holds on the new node too
        await dan.CommandAsync("JOIN #room sesame");
        await ChatClusterKit.AwaitNamesAsync(dan, "#room", "alice", "bob", "dan");
        var names = string.Join(' ', await dan.CommandAsync("NAMES #room"));
        Assert.Contains("@alice", names);
        Assert.Contains("@bob", names);
        Assert.DoesNotContain("@dan", names);
        Assert.StartsWith(":dan!", await alice.ExpectAsync(" JOIN #room"));
        await dan.SendAsync("PRIVMSG #room :hi from d");
        Assert.StartsWith(":dan!", await alice.ExpectAsync(" PRIVMSG #room :hi from d"));
        Assert.StartsWith(":dan!", await bob.ExpectAsync(" PRIVMSG #room :hi from d"));
        await alice.SendAsync("PRIVMSG dan :welcome to the cluster");
        await dan.ExpectAsync(" PRIVMSG dan :welcome to the cluster");
        IrcAssert.HasNumeric(await dan.CommandAsync("NICK carol"), "433"); // held on node-b
    }

    [Fact(Timeout = 150_000)]
    public async Task When_the_registry_s_node_is_lost_the_singleton_moves_and_nicks_stay_unique()
    {
        await using var kit = await ChatClusterKit.StartAsync(3);
        var bob = await kit.ClientAsync(1, "bob");
        var carol = await kit.ClientAsync(2, "carol");
        await ChatClusterKit.AwaitKnownAsync(carol, "bob");

        await kit.Nodes[0].CutOffAsync(); // node-a is the oldest member: the registry runs there
        // claims racing through the hand-over: the proxies hold them until the new instance is there, which decides
        // none before node-b and node-c have re-asserted their nicks (bob, carol): one owner each, never two
        var during = Race(kit.Nodes[1], kit.Nodes[2], "during", rounds: 3);
        var held = await Task.WhenAll(Claim(kit.Nodes[2], "bob"), Claim(kit.Nodes[1], "carol"));
        Assert.Equal(["433", "433"], held);
        await during;
        await kit.Nodes[1].AwaitMemberCountAsync(2, Long); // downed by the split-brain resolver, then removed
        await kit.Nodes[2].AwaitMemberCountAsync(2, Long);
        await Race(kit.Nodes[1], kit.Nodes[2], "after", rounds: 10);

        // the new registry instance learnt bob's and carol's claims from their nodes (re-assert after hand-over)
        var proxy = kit.Nodes[2].System.ActorSelection("/user/actornet/services/chat/nicks/registry-proxy");
        var bobOwner = await proxy.Ask<NickOwner>(new NickOwnerQuery("BOB"), Long);
        Assert.Equal(kit.Nodes[1].Cluster.SelfAddress, bobOwner.Node);
        var carolOwner = await proxy.Ask<NickOwner>(new NickOwnerQuery("carol"), Long);
        Assert.Equal(kit.Nodes[2].Cluster.SelfAddress, carolOwner.Node);
        IrcAssert.HasNumeric(await carol.CommandAsync("NICK bob"), "433");
        await bob.SendAsync("PRIVMSG carol :still unique");
        await carol.ExpectAsync(" PRIVMSG carol :still unique");
    }

    [Fact(Timeout = 150_000)]
    public async Task A_graceful_leave_of_the_registry_s_node_hands_off_its_users_quit_and_nicks_stay_unique()
    {
        await using var kit = await ChatClusterKit.StartAsync(3);
        var alice = await kit.ClientAsync(0, "alice");
        var bob = await kit.ClientAsync(1, "bob");
        var carol = await kit.ClientAsync(2, "carol");
        foreach (var c in new[] { alice, bob, carol }) await c.CommandAsync("JOIN #g");
        foreach (var c in new[] { alice, bob, carol }) await ChatClusterKit.AwaitNamesAsync(c, "#g", "alice", "bob", "carol");

        await kit.Nodes[0].DisposeAsync(); // CoordinatedShutdown: leave the cluster, hand the singleton over, stop
        foreach (var c in new[] { bob, carol })
            await c.ExpectAsync(l => l.StartsWith(":alice!", StringComparison.Ordinal) && l.Contains(" QUIT "), Long);
        await ChatClusterKit.AwaitNamesAsync(bob, "#g", "bob", "carol");
        await kit.Nodes[1].AwaitMemberCountAsync(2, Long);

        await Race(kit.Nodes[1], kit.Nodes[2], "calm", rounds: 5);
        var newAlice = await kit.ConnectAsync(2, "alice");
        await ChatClusterKit.RegisterWithRetryAsync(newAlice, "alice");
        IrcAssert.HasNumeric(await carol.CommandAsync("NICK bob"), "433");
    }

    /// <summary>Two clients on two nodes race for the same nick, <paramref name="rounds"/> times: exactly one wins each.</summary>
    private static async Task Race(ClusterNode first, ClusterNode second, string prefix, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            var nick = prefix + i;
            await using var x = await ChatClusterKit.ConnectOnlyAsync(first, nick);
            await using var y = await ChatClusterKit.ConnectOnlyAsync(second, nick);
            await Task.WhenAll(SendRegistration(x, nick), SendRegistration(y, nick));
            var outcomes = await Task.WhenAll(Outcome(x), Outcome(y));
            Assert.True(outcomes.Count(o => o == "001") == 1 && outcomes.Count(o => o == "433") == 1,
                $"round {i} ({nick}): {string.Join(", ", outcomes)}");
        }
    }

    /// <summary>A new client on <paramref name="node"/> tries to register <paramref name="nick"/>: 001 or 433.</summary>
    private static async Task<string> Claim(ClusterNode node, string nick)
    {
        await using var c = await ChatClusterKit.ConnectOnlyAsync(node, nick);
        await SendRegistration(c, nick);
        return await Outcome(c);
    }

    private static async Task SendRegistration(IrcClient c, string nick)
    {
        await c.SendAsync($"NICK {nick}");
        await c.SendAsync($"USER {nick} 0 * :{nick}");
    }

    private static async Task<string> Outcome(IrcClient c)
    {
        var line = await c.ExpectAsync(l => l.Split(' ').ElementAtOrDefault(1) is "001" or "433", Long);
        return line.Split(' ')[1];
    }
}
