using ActorNet.IntegrationTests.Chat;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>Commands on users of another node, with real IRC clients on two in-process cluster nodes: INVITE,
/// KILL, WHO with a mask and LUSERS see the whole cluster.</summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class ClusterChatCommandsTests
{
    private static string Code(string line) => line.Split(' ').ElementAtOrDefault(1) ?? "";

    [Fact(Timeout = 120_000)]
    public async Task An_op_on_one_node_invites_a_user_of_the_other_to_a_plus_i_channel_and_the_user_joins_there()
    {
        await using var kit = await ChatClusterKit.StartAsync(2);
        var alice = await kit.ClientAsync(0, "alice");
        var bob = await kit.ClientAsync(1, "bob");
        var carol = await kit.ClientAsync(1, "carol");
        var dave = await kit.ClientAsync(1, "dave"); // an op of #inv on node-b that asked for invite-notify
        await dave.CommandAsync("CAP REQ :invite-notify");
        await alice.CommandAsync("JOIN #inv");
        await ChatClusterKit.AwaitNamesAsync(dave, "#inv", "alice");
        await dave.CommandAsync("JOIN #inv");
        await ChatClusterKit.AwaitNamesAsync(alice, "#inv", "alice", "dave");
        await alice.CommandAsync("MODE #inv +io dave");
        await dave.ExpectAsync(" MODE #inv +io dave");
        // node-b holds its copy of #inv with +i (where bob's and carol's JOINs are checked)
        await AwaitAsync(async () => (await bob.CommandAsync("MODE #inv")).Any(l => Code(l) == "324" && l.Split(' ')[4].Contains('i')), "node-b never saw #inv +i");
        await ChatClusterKit.AwaitKnownAsync(alice, "bob");
        IrcAssert.HasNumeric(await carol.CommandAsync("JOIN #inv"), "473");

        var replies = await alice.CommandAsync("INVITE bob #inv");
        Assert.Contains(":irc.test 341 alice bob #inv", replies);
        Assert.DoesNotContain(replies, l => Code(l) == "401");
        Assert.Equal(":alice!~alice@127.0.0.1 INVITE bob #inv", await bob.ExpectAsync(" INVITE bob "));
        Assert.Equal(":alice!~alice@127.0.0.1 INVITE bob #inv", await dave.ExpectAsync(" INVITE bob "));
        Assert.Contains(await bob.CommandAsync("INVITE"), l => Code(l) == "336" && l.EndsWith(" #inv", StringComparison.Ordinal));
        await bob.SendAsync("JOIN #inv");
        Assert.StartsWith(":bob!", await alice.ExpectAsync(" JOIN #inv"));
        await ChatClusterKit.AwaitNamesAsync(alice, "#inv", "alice", "bob", "dave");

        IrcAssert.HasNumeric(await alice.CommandAsync("INVITE bob #inv"), "443"); // already on it (on node-b)
        IrcAssert.HasNumeric(await alice.CommandAsync("INVITE nobody #inv"), "401"); // on no node
        IrcAssert.HasNumeric(await carol.CommandAsync("JOIN #inv"), "473"); // the invitation was bob's only
    }

    [Fact(Timeout = 120_000)]
    public async Task An_operator_on_one_node_kills_a_user_of_the_other_and_everyone_sees_the_QUIT()
    {
        await using var kit = await ChatClusterKit.StartAsync(2);
        var alice = await kit.ClientAsync(0, "alice");
        var carol = await kit.ClientAsync(0, "carol");
        var bob = await kit.ClientAsync(1, "bob");
        var dave = await kit.ClientAsync(1, "dave");
        await bob.CommandAsync("JOIN #k");
        await dave.CommandAsync("JOIN #k");
        await carol.CommandAsync("JOIN #k");
        await ChatClusterKit.AwaitNamesAsync(carol, "#k", "bob", "carol", "dave");
        await ChatClusterKit.AwaitKnownAsync(alice, "bob");

        Assert.Contains(":irc.test 481 carol :Permission Denied- You're not an IRC operator", await carol.CommandAsync("KILL bob :no"));
        IrcAssert.HasNumeric(await alice.CommandAsync("OPER root rootpw"), "381");
        var replies = await alice.CommandAsync("KILL bob :spamming");
        Assert.DoesNotContain(replies, l => Code(l) is "401" or "481");
        Assert.Equal("ERROR :Closing link: Killed (alice (spamming))", await bob.ExpectAsync("ERROR"));
        Assert.True(await bob.ClosedAsync());
        await carol.ExpectAsync(":bob!~bob@127.0.0.1 QUIT :Killed (alice (spamming))");
        await dave.ExpectAsync(":bob!~bob@127.0.0.1 QUIT :Killed (alice (spamming))");
        await ChatClusterKit.AwaitNamesAsync(carol, "#k", "carol", "dave");
        IrcAssert.HasNumeric(await alice.CommandAsync("KILL bob :again"), "401"); // gone from every node
    }

    [Fact(Timeout = 150_000)]
    public async Task A_KILL_of_a_user_of_a_cut_off_node_gets_the_operator_a_401_not_silence()
    {
        await using var kit = await ChatClusterKit.StartAsync(3);
        var alice = await kit.ClientAsync(0, "alice");
        await kit.ClientAsync(2, "carol");
        await ChatClusterKit.AwaitKnownAsync(alice, "carol");
        IrcAssert.HasNumeric(await alice.CommandAsync("OPER root rootpw"), "381");

        await kit.Nodes[2].CutOffAsync();
        // sent before anyone noticed (then failed when node-c is reported unreachable), or refused at once after
        await alice.SendAsync("KILL carol :bye");
        var failed = await alice.ExpectAsync(l => Code(l) == "401", TimeSpan.FromSeconds(30));
        Assert.EndsWith(" carol :No such nick/channel (its server is unreachable)", failed);
    }

    [Fact(Timeout = 120_000)]
    public async Task WHO_with_a_mask_and_LUSERS_count_the_users_of_every_node()
    {
        await using var kit = await ChatClusterKit.StartAsync(2);
        var alice = await kit.ClientAsync(0, "alice");
        await kit.ClientAsync(0, "carol");
        await kit.ClientAsync(1, "bob");
        var dave = await kit.ClientAsync(1, "dave");
        await dave.CommandAsync("MODE dave +i");
        await alice.CommandAsync("OPER root rootpw");

        // LUSERS: 251/252/266 over both nodes (dave invisible; alice an operator), 255/265 this node's
        string[] lusers = [];
        await AwaitAsync(async () =>
        {
            lusers = [.. await alice.CommandAsync("LUSERS")];
            return lusers.Contains(":irc.test 251 alice :There are 3 users and 1 invisible on 2 servers");
        }, "LUSERS never counted node-b's users");
        Assert.Contains(":irc.test 252 alice 1 :operator(s) online", lusers);
        Assert.Contains(":irc.test 255 alice :I have 2 clients and 1 servers", lusers);
        Assert.Contains(":irc.test 265 alice 2 2 :Current local users 2, max 2", lusers);
        Assert.Contains(":irc.test 266 alice 4 4 :Current global users 4, max 4", lusers);

        // WHO <mask>: nick, host and real-name masks match users of node-b too (server = their node); an invisible
        // user only by its exact nick
        static string[] Who(IEnumerable<string> lines) => lines.Where(l => Code(l) == "352").Select(l => l.Split(' ')[7] + "@" + l.Split(' ')[6]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["bob@node-b"], Who(await alice.CommandAsync("WHO b*")));
        Assert.Equal(["alice@irc.test", "bob@node-b", "carol@irc.test"], Who(await alice.CommandAsync("WHO *")));
        Assert.Equal(["alice@irc.test", "bob@node-b", "carol@irc.test"], Who(await alice.CommandAsync("WHO 127.0.0.1")));
        Assert.Equal(["bob@node-b"], Who(await alice.CommandAsync("WHO :*b real")));
        Assert.Equal(["bob@node-b"], Who(await alice.CommandAsync("WHO *!~bob@*")));
        Assert.Equal(["dave@node-b"], Who(await alice.CommandAsync("WHO dave")));
        Assert.Empty(Who(await alice.CommandAsync("WHO d*")));
    }

    private static async Task AwaitAsync(Func<Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because);
            await Task.Delay(100);
        }
    }
}
