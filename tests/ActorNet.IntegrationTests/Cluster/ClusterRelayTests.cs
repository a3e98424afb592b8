using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

public sealed class ClusterRelayTests
{
    private const string Relay = """relay { bind = "127.0.0.1:0", handler = broadcast, scope = cluster }""";

    [Fact(Timeout = 90_000)]
    public async Task Broadcast_with_cluster_scope_reaches_clients_on_every_node_in_order()
    {
        var seedPort = FreePort.Next();
        await using var a = await ClusterNode.StartAsync(ClusterNode.Config("node-a", seedPort, seedPort, Relay));
        await using var b = await ClusterNode.StartAsync(ClusterNode.Config("node-b", 0, seedPort, Relay));
        await a.AwaitMembersUpAsync(2, TimeSpan.FromSeconds(30));
        await b.AwaitMembersUpAsync(2, TimeSpan.FromSeconds(30));

        await using var onA = await LineClient.ConnectAsync(a.Bound["relay"]);
        await using var onA2 = await LineClient.ConnectAsync(a.Bound["relay"]);
        await using var onB = await LineClient.ConnectAsync(b.Bound["relay"]);

        // DistributedPubSub registrations spread by gossip, separately in each direction: probe both ways.
        await ProbeAsync(onA, onB);
        await ProbeAsync(onB, onA, onA2);

        // now count: every frame from B reaches both clients on A, in order, and the local neighbour too
        const int count = 200;
        for (var i = 0; i < count; i++) await onB.SendLineAsync($"b-{i}");
        for (var i = 0; i < count; i++)
        {
            Assert.Equal($"b-{i}", await onA.ReadLineAsync());
            Assert.Equal($"b-{i}", await onA2.ReadLineAsync());
        }

        await onA2.SendLineAsync("from-a2");
        Assert.Equal("from-a2", await NextNonProbeAsync(onA));
        Assert.Equal("from-a2", await NextNonProbeAsync(onB));
    }

    private static Task ProbeAsync(LineClient sender, params LineClient[] receivers) =>
        RelayProbe.ProbeAsync(sender, receivers, TimeSpan.FromSeconds(30));

    private static Task<string?> NextNonProbeAsync(LineClient client) => RelayProbe.NextNonProbeAsync(client);
}
