using System.Net;
using System.Text.RegularExpressions;
using ActorNet.IntegrationTests.Cluster;
using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.EndToEnd;

/// <summary>Three published actornet processes form a cluster on loopback; a relay frame crosses all three; one
/// process is SIGKILLed and the other two keep relaying; the survivors stop with exit 0.</summary>
[Collection(ActornetProcessCollection.Name)]
public sealed class ClusterEndToEndTests(ActornetBinary binary) : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string Config(string name, int port, IEnumerable<int> seeds) =>
        RelayProbe.ProcessConfig(name, "e2e-cluster", port, seeds, """relay { bind = "127.0.0.1:0", handler = broadcast, scope = cluster }""");

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

    private static Task ProbeUntilDeliveredAsync(LineClient sender, LineClient[] receivers, TimeSpan timeout, List<NodeProcess> nodes) =>
        RelayProbe.ProbeAsync(sender, receivers, timeout, () => string.Join("\n---\n", nodes.Select(n => n.Describe())));

    private static Task<string?> NextNonProbeAsync(LineClient client) => RelayProbe.NextNonProbeAsync(client, TimeSpan.FromSeconds(15));

    public void Dispose() => _dir.Dispose();
}
