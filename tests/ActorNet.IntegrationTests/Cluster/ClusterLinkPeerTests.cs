using ActorNet.Chat.Server;
using Akka.Actor;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>The cross-node fan-out path: each node's cluster-link tells its peers through their links' refs, not
/// through actor selections (whose envelope costs a second serialization, two copies and a path walk per batch).</summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class ClusterLinkPeerTests
{
    private const string LinkPath = "/user/actornet/services/chat/cluster-link";

    [Fact(Timeout = 120_000)]
    public async Task Each_link_tells_its_peer_through_the_peers_ref_once_snapshots_crossed_and_channel_traffic_still_crosses()
    {
        await using var kit = await ChatClusterKit.StartAsync(2);
        var alice = await kit.ClientAsync(0, "alice");
        var bob = await kit.ClientAsync(1, "bob");
        await alice.CommandAsync("JOIN #p");
        await ChatClusterKit.AwaitNamesAsync(bob, "#p", "alice");
        await bob.CommandAsync("JOIN #p");
        await ChatClusterKit.AwaitNamesAsync(alice, "#p", "alice", "bob");

        // both snapshots have crossed (bob's node knows alice): both links have learnt the other's ref
        for (var i = 0; i < 2; i++)
        {
            var node = kit.Nodes[i];
            var other = kit.Nodes[1 - i].Cluster.SelfAddress;
            var link = await node.System.ActorSelection(LinkPath).ResolveOne(TimeSpan.FromSeconds(10));
            var routes = await link.Ask<ClusterLinkActor.PeerRoutes>(ClusterLinkActor.GetPeerRoutes.Instance, TimeSpan.FromSeconds(10));
            Assert.True(routes.ByRef.TryGetValue(other, out var byRef), $"{node.Cluster.SelfAddress} has no peer {other}");
            Assert.True(byRef, $"{node.Cluster.SelfAddress} still reaches {other} through an actor selection");
        }

        // and order and completeness hold over the refs, both ways
        const int count = 100;
        for (var i = 0; i < count; i++) await bob.SendAsync($"PRIVMSG #p :b-{i}");
        for (var i = 0; i < count; i++) await alice.SendAsync($"PRIVMSG #p :a-{i}");
        for (var i = 0; i < count; i++) Assert.Equal($"b-{i}", ChatClusterKit.LastParam(await alice.ExpectAsync(" PRIVMSG #p ")));
        for (var i = 0; i < count; i++) Assert.Equal($"a-{i}", ChatClusterKit.LastParam(await bob.ExpectAsync(" PRIVMSG #p ")));
    }
}
