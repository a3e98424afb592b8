using ActorNet.Chat.Cluster;
using ActorNet.IntegrationTests.Chat;
using Akka.Actor;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>A node's snapshot (every local user and channel, one remote message) must reach a peer however many
/// users the node has: Akka.Remote drops a message past its maximum frame size (128,000 bytes by default) with only
/// an error log, and the peer would never learn that node's users.</summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class ClusterSnapshotSizeTests
{
    private const string LinkPath = "/user/actornet/services/chat/cluster-link";

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
}
