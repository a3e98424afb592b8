using ActorNet.Admin;
using ActorNet.Faults;
using ActorNet.IntegrationTests.Support;
using ActorNet.IntegrationTests.Chat;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>
/// Crash anything, lose nothing, in cluster mode: the chat service of node-a, its users, nicks and cluster-link
/// children and the cluster-wide nick registry (its singleton lives on node-a, the oldest) are crashed by path while
/// users on both nodes share a channel. Afterwards nicks are still unique across the nodes (433 both ways), channel
/// lines still cross in order, NAMES agree on both sides, and a nick whose user leaves is free again (the registry
/// keeps no stale claim of the crashed actor's node).
/// </summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class ClusterChatCrashTests
{
    [Theory(Timeout = 150_000)]
    [InlineData("/user/actornet/services/chat")]
    [InlineData("/user/actornet/services/chat/users")]
    [InlineData("/user/actornet/services/chat/nicks")]
    [InlineData("/user/actornet/services/chat/nicks/registry/singleton")]
    [InlineData("/user/actornet/services/chat/cluster-link")]
    [InlineData("/user/actornet/services/chat/channels/ch-1")]
    public async Task A_crashed_chat_service_part_keeps_nicks_unique_and_channels_whole_across_nodes(string path)
    {
        await using var kit = await ChatClusterKit.StartAsync(2);
        var alice = await kit.ClientAsync(0, "alice");
        var bob = await kit.ClientAsync(1, "bob");
        await alice.SendAsync("JOIN #x");
        await alice.ExpectAsync(" 366 ");
        await bob.SendAsync("JOIN #x");
        await bob.ExpectAsync(" 366 ");
        await ChatClusterKit.AwaitNamesAsync(alice, "#x", "alice", "bob");
        await ChatClusterKit.AwaitNamesAsync(bob, "#x", "alice", "bob");

        var control = new NodeControl(kit.Nodes[0].System);
        for (var i = 0; i < 20; i++) await alice.SendAsync($"PRIVMSG #x :a{i}");
        var crashed = await control.CrashAsync(path);
        Assert.True(crashed.Ok, crashed.Message);
        for (var i = 20; i < 40; i++) await alice.SendAsync($"PRIVMSG #x :a{i}");
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"a{i}"), await Faults.ServiceCrashTests.ChannelLinesAsync(bob, "alice", 40, "#x"));

        // unique both ways, on both nodes
        var onA = await kit.ConnectAsync(0, "x1");
        await onA.SendAsync("NICK bob");
        await onA.SendAsync("USER x 0 * :x");
        await onA.ExpectAsync(" 433 ");
        IrcAssert.HasNumeric(await bob.CommandAsync("NICK alice"), "433");
        var onB = await kit.ConnectAsync(1, "x2");
        await onB.SendAsync("NICK alice");
        await onB.SendAsync("USER x 0 * :x");
        await onB.ExpectAsync(" 433 ");

        // the chat subtree has its shape again, and it is the one the README draws
        // (the registry's singleton child is started again by its manager on its own schedule: waited for, bounded)
        string[] shape = ["channels", "channels/ch-1", "cluster-link", "nicks", "nicks/registry", "nicks/registry-proxy", "nicks/registry/singleton", "users"];
        var chat = ActorCrash.Find(kit.Nodes[0].System, "/user/actornet/services/chat")!;
        List<string> below;
        var shapeDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            below = ActorCrash.Below(chat).Select(a => ActorCrash.PathOf(a)["/user/actornet/services/chat/".Length..])
                .Where(p => !p.Split('/')[^1].StartsWith('$')).ToList(); // not Akka's own anonymous helpers
            if (below.SequenceEqual(shape) || DateTime.UtcNow > shapeDeadline) break;
            await Task.Delay(100);
        }

        Assert.Equal(shape, below);
        var readme = await File.ReadAllTextAsync(RepoPaths.File("README.md"));
        var tree = readme[readme.IndexOf("## The supervisor tree", StringComparison.Ordinal)..];
        tree = tree[..tree.IndexOf("\n```\n", tree.IndexOf("```", StringComparison.Ordinal) + 3, StringComparison.Ordinal)];
        foreach (var child in below) // each at its depth under "    chat"
            Assert.Contains("\n" + new string(' ', 6 + 2 * child.Count(c => c == '/')) + child.Split('/')[^1] + " ", tree);

        // both sides still see both members, and bob's lines reach alice
        await ChatClusterKit.AwaitNamesAsync(alice, "#x", "alice", "bob");
        await ChatClusterKit.AwaitNamesAsync(bob, "#x", "alice", "bob");
        await bob.SendAsync("PRIVMSG #x :from b");
        await alice.ExpectAsync(l => l.StartsWith(":bob!", StringComparison.Ordinal) && l.Contains("from b"));
        Assert.DoesNotContain(alice.Seen, l => l.StartsWith("ERROR", StringComparison.Ordinal));

        // alice leaves: node-b sees her quit and her nick is free there (no claim left locked)
        await alice.SendAsync("QUIT :bye");
        await bob.ExpectAsync(l => l.StartsWith(":alice!", StringComparison.Ordinal) && l.Contains(" QUIT "));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var reply = await onB.CommandAsync("NICK alice");
            if (reply.Any(l => l.Split(' ').ElementAtOrDefault(1) == "001")) break;
            Assert.True(DateTime.UtcNow < deadline, "alice's nick never became free on node-b:\n" + string.Join('\n', reply));
            await Task.Delay(200);
        }
    }
}
