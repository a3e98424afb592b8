using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.EndToEnd;

/// <summary>The published node on real sockets: TCP echo, UDP relay, then SIGTERM and a clean exit 0; a node that Akka
/// itself stops exits 1.</summary>
[Collection(ActornetProcessCollection.Name)]
public sealed class NodeRunEndToEndTests(ActornetBinary binary) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private const string Config = """
        actornet {
          node.name = "e2e"
          listeners {
            echo {
              transport = tcp
              bind = "127.0.0.1:0"
              handler = echo
            }
            relay {
              transport = udp
              bind = "127.0.0.1:0"
              handler = udp-relay
            }
          }
          logging {
            level = info
            console = on
          }
        }
        """;

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Node_echoes_over_tcp_relays_over_udp_and_exits_0_on_sigterm()
    {
        var file = _dir.Write("node.conf", Config);
        using var node = NodeProcess.Start(binary.StartInfo(_dir.Path, "run", "--config", file));

        var endpoints = await WaitForListenersAsync(node, "echo", "relay");

        await AssertTcpEchoAsync(endpoints["echo"], node);
        await AssertUdpRelayAsync(endpoints["relay"], node);

        node.SendSigterm();
        await node.WaitForExitAsync(ExitTimeout);
        Assert.True(node.ExitCode == 0, $"exit code {node.ExitCode}\n{node.Describe()}");
    }

    [Fact]
    public async Task A_node_that_Akka_stops_exits_1_and_says_why()
    {
        // a cluster node whose only seed never answers, told to give up joining after 2 s: Akka's own shutdown
        // (ClusterJoinUnsuccessfulReason), not an operator's, so a process supervisor must see a failure
        var file = _dir.Write("lonely.conf", $$"""
            actornet {
              node.name = "lonely"
              cluster {
                enabled = on
                name = "actornet-e2e"
                hostname = "127.0.0.1"
                port = 0
                seed-nodes = ["127.0.0.1:{{FreePort.Next()}}"]
              }
              listeners { echo { bind = "127.0.0.1:0", handler = echo } }
            }
            akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = 2s
            """);
        var node = await NodeProcess.RunToExitAsync(binary.StartInfo(_dir.Path, "run", "--config", file), TimeSpan.FromSeconds(60));
        Assert.True(node.ExitCode == 1, $"exit code {node.ExitCode}\n{node.Describe()}");
        Assert.Contains("node lonely was stopped by Akka: ClusterJoinUnsuccessfulReason", node.Stderr);
    }

    private static async Task<Dictionary<string, IPEndPoint>> WaitForListenersAsync(NodeProcess node, params string[] names)
    {
        var found = new Dictionary<string, IPEndPoint>();
        var deadline = DateTime.UtcNow + StartTimeout;
        while (found.Count < names.Length)
        {
            var pending = names.Where(n => !found.ContainsKey(n)).ToArray();
            var pattern = new Regex(
                $@"listener (?<name>{string.Join('|', pending.Select(Regex.Escape))}) bound (?<transport>tcp|udp) \[?(?<ip>[0-9a-fA-F.:]+?)\]?:(?<port>\d+)",
                RegexOptions.IgnoreCase);
            var match = await node.WaitForStdoutAsync(pattern, Remaining(deadline));
            found[match.Groups["name"].Value] =
                new IPEndPoint(IPAddress.Parse(match.Groups["ip"].Value), int.Parse(match.Groups["port"].Value));
        }
        Assert.All(found.Values, ep => Assert.NotEqual(0, ep.Port));
        return found;
    }

    private static async Task AssertTcpEchoAsync(IPEndPoint endpoint, NodeProcess node)
    {
        using var cts = new CancellationTokenSource(IoTimeout);
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes("hello actornet\n"), cts.Token);

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var line = await reader.ReadLineAsync(cts.Token);
        Assert.True(line == "hello actornet", $"echoed {line ?? "<closed>"}\n{node.Describe()}");
    }

    private static async Task AssertUdpRelayAsync(IPEndPoint relay, NodeProcess node)
    {
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var deadline = DateTime.UtcNow + IoTimeout;
        await UdpHello.HelloAsync(sender, relay);
        await UdpHello.HelloAsync(receiver, relay);

        // The receiver joins by sending a datagram; until the relay has seen it, the sender's datagram may go
        // nowhere, so both are repeated (bounded) until one arrives.
        for (var attempt = 1; DateTime.UtcNow < deadline; attempt++)
        {
            await receiver.SendAsync(Encoding.UTF8.GetBytes($"join {attempt}"), relay);
            await sender.SendAsync(Encoding.UTF8.GetBytes($"ping {attempt}"), relay);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                while (true)
                {
                    var result = await receiver.ReceiveAsync(wait.Token);
                    if (Encoding.UTF8.GetString(result.Buffer).StartsWith("ping ", StringComparison.Ordinal))
                        return;
                }
            }
            catch (OperationCanceledException)
            {
                // nothing yet: send again
            }
        }
        Assert.Fail($"no datagram relayed from one UDP client to the other within {IoTimeout}\n{node.Describe()}");
    }

    private static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    public void Dispose() => _dir.Dispose();
}
