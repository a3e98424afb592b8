using System.Net;
using System.Text.RegularExpressions;
using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.EndToEnd;

/// <summary>Three published actornet processes form a cluster on loopback; a relay frame crosses all three; one
/// process is SIGKILLed and the other two keep relaying; the survivors stop with exit 0.</summary>
[Collection(ActornetProcessCollection.Name)]
public sealed class ClusterEndToEndTests(ActornetBinary binary) : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string Config(string name, int port, IEnumerable<int> seeds) => $$"""
        actornet {
          node.name = "{{name}}"
          cluster {
            enabled = on
            name = "e2e-cluster"
            port = {{port}}
            seed-nodes = [{{string.Join(", ", seeds.Select(s => $"\"127.0.0.1:{s}\""))}}]
            down-after = 3s
          }
          listeners.relay { bind = "127.0.0.1:0", handler = broadcast, scope = cluster }
        }
        akka.log-dead-letters = off
        """;

    [Fact(Timeout = 120_000)]
    public async Task A_frame_crosses_three_processes_and_the_survivors_carry_on_after_a_SIGKILL()
    {
        var ports = new[] { FreePort.Next(), FreePort.Next(), FreePort.Next() };
        var nodes = new List<NodeProcess>();
        try
        {
            foreach (var (name, port) in new[] { "a", "b", "c" }.Zip(ports))
                nodes.Add(NodeProcess.Start(binary.StartInfo(_dir.Path, "run", "--config", _dir.Write(name + ".conf", Config(name, port, ports)))));

            var relay = new Regex(@"listener relay bound tcp 127\.0\.0\.1:(?<port>\d+)");
            var clients = new List<LineClient>();
            foreach (var node in nodes)
            {
                var match = await node.WaitForStdoutAsync(relay, TimeSpan.FromSeconds(30));
                clients.Add(await LineClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, int.Parse(match.Groups["port"].Value))));
            }

            var (a, b, c) = (clients[0], clients[1], clients[2]);
            // every node must have learned every other node's subscription, in both directions
            foreach (var sender in clients)
                await ProbeUntilDeliveredAsync(sender, clients.Where(x => x != sender).ToArray(), TimeSpan.FromSeconds(60), nodes);

            await b.SendLineAsync("crossing");
            Assert.Equal("crossing", await NextNonProbeAsync(a));
            Assert.Equal("crossing", await NextNonProbeAsync(c));

            nodes[2].Kill(); // SIGKILL: no goodbye to the cluster
            await b.SendLineAsync("after-kill");
            string? got;
            try
            {
                got = await NextNonProbeAsync(a);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException("a did not get after-kill\n" + string.Join("\n---\n", nodes.Select(n => n.Describe())));
            }

            Assert.Equal("after-kill", got);
            await a.SendLineAsync("still-relaying");
            Assert.Equal("still-relaying", await NextNonProbeAsync(b));

            foreach (var survivor in nodes.Take(2)) survivor.SendSigterm();
            foreach (var survivor in nodes.Take(2))
            {
                await survivor.WaitForExitAsync(TimeSpan.FromSeconds(20));
                Assert.True(survivor.ExitCode == 0, survivor.Describe());
            }

            foreach (var client in clients) await client.DisposeAsync();
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }

    /// <summary>DistributedPubSub learns remote subscribers by gossip: send probes until every receiver has one.</summary>
    private static async Task ProbeUntilDeliveredAsync(LineClient sender, LineClient[] receivers, TimeSpan timeout, List<NodeProcess> nodes)
    {
        var deadline = DateTime.UtcNow + timeout;
        var pending = receivers.ToList();
        for (var i = 0; pending.Count > 0; i++)
        {
            Assert.True(DateTime.UtcNow < deadline, "no probe crossed the cluster\n" + string.Join("\n---\n", nodes.Select(n => n.Describe())));
            await sender.SendLineAsync("probe-" + i);
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
    }

    private static async Task<string?> NextNonProbeAsync(LineClient client)
    {
        string? line;
        do line = await client.ReadLineAsync(TimeSpan.FromSeconds(15));
        while (line is not null && line.StartsWith("probe-", StringComparison.Ordinal));
        return line;
    }

    public void Dispose() => _dir.Dispose();
}
