using ActorNet.IntegrationTests.Chat;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>Chat state that must be the same on every node: channel modes a late joiner learns, one founder op.</summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class ClusterChatParityTests
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
}
