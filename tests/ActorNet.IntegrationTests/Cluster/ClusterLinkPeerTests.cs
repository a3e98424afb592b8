using ActorNet.Chat.Cluster;
using ActorNet.Chat.Server;
using ActorNet.IntegrationTests.Chat;
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

    /// <summary>A node's snapshot (every local user and channel, one remote message) must reach a peer however many
    /// users the node has: Akka.Remote drops a message past its maximum frame size (128,000 bytes by default) with only
    /// an error log, and the peer would never learn that node's users.</summary>
    [Fact(Timeout = 120_000)]
    public async Task A_snapshot_of_five_thousand_users_crosses_to_the_peer()
    {
        await using var kit = await ChatClusterKit.StartAsync(2);
        var bob = await kit.ClientAsync(1, "bob");
        var a = kit.Nodes[0];
        await ChatClusterKit.AwaitKnownAsync(bob, "bob"); // node b is up and answering

        // node a's link tells node b's link a snapshot of a node with 5,000 users (about 400 KB encoded, three times the default frame), as when b comes up
        const int users = 5000;
        var snapshot = new NodeSnapshot(a.Cluster.SelfAddress, "node-a",
            Enumerable.Range(0, users).Select(i => new RemoteUserInfo($"user{i}", "~user", "client.example.net", $"Real Name of user {i}", null, false)).ToArray(),
            [new ChannelSnapshot("#big", "#big", "a topic", "user0", 1, Enumerable.Range(0, users).Select(i => new ChannelMemberInfo($"user{i}", i == 0, false)).ToArray())]);
        var peerLink = a.System.ActorSelection(new RootActorPath(kit.Nodes[1].Cluster.SelfAddress) / "user" / "actornet" / "services" / "chat" / "cluster-link");
        var localLink = await a.System.ActorSelection(LinkPath).ResolveOne(TimeSpan.FromSeconds(10));
        peerLink.Tell(snapshot, localLink);

        await ChatClusterKit.AwaitKnownAsync(bob, $"user{users - 1}");
        var whois = await bob.CommandAsync("WHOIS user4321");
        IrcAssert.HasNumeric(whois, "311");
    }

    /// <summary>The sending side: a node whose snapshot is many times Akka.Remote's default frame (128,000 bytes, set
    /// here on both nodes) sends it to a member that comes up in parts, and the new member learns every user. As one
    /// message it would be dropped by Akka.Remote and the new member would never know them.</summary>
    [Fact(Timeout = 120_000)]
    public async Task A_node_with_a_snapshot_larger_than_the_remote_frame_sends_it_in_parts_to_a_member_that_comes_up()
    {
        await using var kit = await ChatClusterKit.StartAsync(1, "akka.remote.dot-netty.tcp.maximum-frame-size = 128000b");
        var a = kit.Nodes[0];
        var link = await a.System.ActorSelection(LinkPath).ResolveOne(TimeSpan.FromSeconds(10));

        // 6,000 users as node a's link has recorded them (about 1.4 MB of snapshot bound, 11 times the frame)
        const int users = 6000;
        for (var i = 0; i < users; i++)
            link.Tell(new UserEvent(a.Cluster.SelfAddress, $"user{i}",
                new UserRegistered(new RemoteUserInfo($"user{i}", "~user", "client.example.net", $"Real Name of user {i}", null, false))));

        await kit.AddNodeAsync("node-b", 2);
        var bob = await kit.ClientAsync(1, "bob");
        await ChatClusterKit.AwaitKnownAsync(bob, $"user{users - 1}");
        IrcAssert.HasNumeric(await bob.CommandAsync("WHOIS user4321"), "311");
        IrcAssert.HasNumeric(await bob.CommandAsync("WHOIS user0"), "311");
    }
}
