using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>Helpers for cluster tests: DistributedPubSub learns remote subscribers by gossip, separately in each
/// direction, so a test probes until frames cross before it counts anything; and the HOCON of a clustered process.</summary>
public static class RelayProbe
{
    /// <summary>Sends numbered probes from <paramref name="sender"/> until every receiver got one, then a marker, and
    /// reads every receiver up to the marker so no probe is left in its stream.</summary>
    public static async Task ProbeAsync(LineClient sender, LineClient[] receivers, TimeSpan timeout, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var pending = receivers.ToList();
        for (var i = 0; pending.Count > 0; i++)
        {
            Assert.True(DateTime.UtcNow < deadline, "no probe crossed the cluster\n" + describe?.Invoke());
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

    /// <summary>The next line that is not a probe or a marker (null when the connection closed).</summary>
    public static async Task<string?> NextNonProbeAsync(LineClient client, TimeSpan? timeout = null)
    {
        string? line;
        do line = await client.ReadLineAsync(timeout);
        while (line is not null && (line.StartsWith("probe-", StringComparison.Ordinal) || line.StartsWith("marker-", StringComparison.Ordinal)));
        return line;
    }

    /// <summary>The HOCON of one clustered actornet process on loopback with the given listeners. The failure
    /// detector tolerates 8 s of silence (a busy 2-core CI machine can starve a process that long), then the
    /// split-brain resolver downs after 3 s more: a SIGKILLed process is gone from the others' view in ≈ 15 s.</summary>
    public static string ProcessConfig(string name, string clusterName, int port, IEnumerable<int> seeds, string listeners, string extra = "") => $$"""
        actornet {
          node.name = "{{name}}"
          cluster {
            enabled = on
            name = "{{clusterName}}"
            port = {{port}}
            seed-nodes = [{{string.Join(", ", seeds.Select(s => $"\"127.0.0.1:{s}\""))}}]
            down-after = 3s
          }
          listeners { {{listeners}} }
          {{extra}}
        }
        akka.log-dead-letters = off
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 8s
        """;
}
