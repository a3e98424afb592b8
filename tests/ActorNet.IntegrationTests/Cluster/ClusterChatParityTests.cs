using ActorNet.IntegrationTests.Chat;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>Chat state that must be the same on every node: channel modes a late joiner learns, one founder op.</summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class ClusterChatParityTests(ITestOutputHelper output)
{
    [Fact(Timeout = 120_000)]
    public async Task A_node_that_joins_later_learns_the_e_and_I_lists_and_C_of_a_channel()
    {
        await using var kit = await ChatClusterKit.StartAsync(1);
        var alice = await kit.ClientAsync(0, "alice");
        await alice.CommandAsync("JOIN #p");
        // everyone from 127.0.0.1 is banned and +i holds, but bob is excepted from both
        await alice.SendAsync("MODE #p +ibeIC *!*@127.0.0.1 bob!*@* *!~bob@*");
        await alice.ExpectAsync(" MODE #p +");

        await kit.AddNodeAsync("node-b", 2);
        var bob = await kit.ClientAsync(1, "bob");
        await ChatClusterKit.AwaitNamesAsync(bob, "#p", "alice");
        Assert.Contains(await bob.CommandAsync("MODE #p e"), l => l.Contains(" 348 bob #p bob!*@*", StringComparison.Ordinal));
        Assert.Contains(await bob.CommandAsync("MODE #p I"), l => l.Contains(" 346 bob #p *!~bob@*", StringComparison.Ordinal));
        Assert.Contains(await bob.CommandAsync("MODE #p"), l => l.Contains(" 324 bob #p +Cint", StringComparison.Ordinal));

        var joined = await bob.CommandAsync("JOIN #p"); // +e beats the ban, +I the invite-only, on node-b too
        Assert.Contains(joined, l => l.StartsWith(":bob!", StringComparison.Ordinal) && l.Contains(" JOIN #p", StringComparison.Ordinal));
        IrcAssert.HasNumeric(await bob.CommandAsync("PRIVMSG #p :\u0001VERSION\u0001"), "404"); // +C
        await bob.SendAsync("PRIVMSG #p :plain text passes");
        await alice.ExpectAsync(" PRIVMSG #p :plain text passes");
    }

    [Fact(Timeout = 150_000)]
    public async Task Two_first_joins_of_a_channel_at_the_same_moment_on_two_nodes_leave_exactly_one_founder_op()
    {
        await using var kit = await ChatClusterKit.StartAsync(2);
        var alice = await kit.ClientAsync(0, "alice");
        var bob = await kit.ClientAsync(1, "bob");
        await ChatClusterKit.AwaitKnownAsync(alice, "bob");
        await ChatClusterKit.AwaitKnownAsync(bob, "alice");

        // several rounds: a JOIN that reaches the other node before its own first join is no race (one @ anyway)
        const int rounds = 8;
        var raced = 0;
        for (var i = 0; i < rounds; i++)
        {
            var channel = "#race" + i;
            await Task.WhenAll(alice.SendAsync("JOIN " + channel), bob.SendAsync("JOIN " + channel));
            var names = await AwaitAgreedNamesAsync(channel, alice, bob, n => n.Count(x => x.StartsWith('@')) <= 1);
            Assert.True(names.Count(n => n.StartsWith('@')) == 1, $"{channel}: {string.Join(' ', names)}");

            // a client told it was @ at its JOIN and then beaten was told so with a MODE -o
            foreach (var c in new[] { alice, bob })
            {
                var burst = c.Seen.First(l => l.Contains($" 353 {c.Nick} = {channel} ", StringComparison.Ordinal));
                if (!ChatClusterKit.LastParam(burst).Split(' ').Contains("@" + c.Nick) || names.Contains("@" + c.Nick)) continue;
                raced++;
                Assert.Contains(c.Seen, l => l.Contains($" MODE {channel} -o", StringComparison.Ordinal) && l.Split(' ').Skip(4).Contains(c.Nick));
            }
        }

        output.WriteLine($"{raced} of {rounds} rounds were a race (two founders, one beaten)");

        // the founder ops the other one everywhere; a node that comes up later learns the same: the beaten node's
        // snapshot carries the winning stamp (else the op it gives now would not count there)
        for (var i = 0; i < rounds; i++)
        {
            var channel = "#race" + i;
            var (op, other) = (await alice.CommandAsync("NAMES " + channel)).Any(l => l.Contains(" 353 ") && l.Contains("@alice")) ? (alice, bob) : (bob, alice);
            await op.SendAsync($"MODE {channel} +o {other.Nick}");
            await other.ExpectAsync($" MODE {channel} +o {other.Nick}");
        }

        await kit.AddNodeAsync("node-c", 3);
        var carol = await kit.ClientAsync(2, "carol");
        for (var i = 0; i < rounds; i++)
            Assert.Equal(["@alice", "@bob"], await AwaitAgreedNamesAsync("#race" + i, carol, alice, n => n.All(x => x.StartsWith('@'))));
    }

    /// <summary>Polls NAMES (with prefixes) on both clients' nodes until both list alice and bob the same way and
    /// <paramref name="done"/> holds (bounded); then the lists must at least agree.</summary>
    private static async Task<string[]> AwaitAgreedNamesAsync(string channel, IrcClient a, IrcClient b, Func<string[], bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string[] onA = [], onB = [];
        while (DateTime.UtcNow < deadline)
        {
            (onA, onB) = (Prefixed(await a.CommandAsync("NAMES " + channel)), Prefixed(await b.CommandAsync("NAMES " + channel)));
            if (onA.Length == 2 && onA.SequenceEqual(onB) && done(onA)) return onA;
            await Task.Delay(100);
        }

        Assert.True(onA.SequenceEqual(onB), $"{channel}: node-a {string.Join(' ', onA)}, node-b {string.Join(' ', onB)}");
        return onA;

        static string[] Prefixed(IEnumerable<string> lines) =>
            lines.Where(l => l.Split(' ').ElementAtOrDefault(1) == "353")
                .SelectMany(l => ChatClusterKit.LastParam(l).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Order(StringComparer.Ordinal).ToArray();
    }
}
