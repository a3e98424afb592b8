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

    /// <summary>Sends numbered probes until every receiver got one, then a marker, and reads every receiver up to the
    /// marker so that no probe is left in their streams.</summary>
    private static async Task ProbeAsync(LineClient sender, params LineClient[] receivers)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var pending = receivers.ToList();
        for (var i = 0; pending.Count > 0; i++)
        {
            Assert.True(DateTime.UtcNow < deadline, "cluster relay never delivered a probe");
            await sender.SendLineAsync($"probe-{i}");
            foreach (var receiver in pending.ToList())
            {
                try
                {
                    if ((await receiver.ReadLineAsync(TimeSpan.FromMilliseconds(300)))?.StartsWith("probe-", StringComparison.Ordinal) == true)
                        pending.Remove(receiver);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        var marker = "marker-" + Guid.NewGuid().ToString("N");
        await sender.SendLineAsync(marker);
        foreach (var receiver in receivers)
            while (await receiver.ReadLineAsync() != marker)
            {
            }
    }

    private static async Task<string?> NextNonProbeAsync(LineClient client)
    {
        string? line;
        do line = await client.ReadLineAsync();
        while (line is not null && (line.StartsWith("probe-", StringComparison.Ordinal) || line.StartsWith("marker-", StringComparison.Ordinal)));
        return line;
    }
}
