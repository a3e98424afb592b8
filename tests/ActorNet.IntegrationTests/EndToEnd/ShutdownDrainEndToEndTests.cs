using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorNet.IntegrationTests.EndToEnd;

/// <summary>SIGTERM drains: a client whose output is still queued on the node (held back by a bandwidth toxic)
/// receives all of it, then the FIN, and the node exits 0.</summary>
[Collection(ActornetProcessCollection.Name)]
public sealed class ShutdownDrainEndToEndTests(ActornetBinary binary) : IDisposable
{
    private const int Lines = 48;
    private const int LineBytes = 1000; // 48 KB at 8 KiB/s: nearly all of it is still held back by the toxic at the SIGTERM

    private const string Config = """
        actornet {
          node.name = "drain"
          listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo, close-timeout = 15s }
          shutdown.drain-timeout = 15s
          faults.toxics.thin { type = bandwidth, listener = echo, rate = 8 }
          logging { level = info, console = on }
        }
        """;

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_client_with_queued_output_receives_all_of_it_before_the_node_exits_0()
    {
        var file = _dir.Write("node.conf", Config);
        using var node = NodeProcess.Start(binary.StartInfo(_dir.Path, "run", "--config", file));
        var bound = await node.WaitForStdoutAsync(new Regex(@"listener echo bound tcp 127\.0\.0\.1:(?<port>\d+)"), TimeSpan.FromSeconds(30));
        var endpoint = new IPEndPoint(IPAddress.Loopback, int.Parse(bound.Groups["port"].Value));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint, cts.Token);
        var stream = client.GetStream();
        var sent = new StringBuilder();
        for (var i = 0; i < Lines; i++) sent.Append(i.ToString("D4")).Append('x', LineBytes - 5).Append('\n');
        await stream.WriteAsync(Encoding.ASCII.GetBytes(sent.ToString()), cts.Token);

        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("0000", await reader.ReadLineAsync(cts.Token)); // output flows, slowly: the rest is queued
        node.SendSigterm();
        await node.WaitForStdoutAsync(new Regex("draining: 1 connections"), TimeSpan.FromSeconds(10));

        var received = 1;
        string? last = null;
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith("error:", StringComparison.Ordinal))
            {
                last = line; // the line framing's last word on a shutdown, after everything queued
                break;
            }

            Assert.True(line.StartsWith(received.ToString("D4"), StringComparison.Ordinal) && line.Length == LineBytes - 1, $"line {received}: {line[..Math.Min(20, line.Length)]}");
            received++;
        }

        Assert.Equal(Lines, received); // everything queued, in order
        Assert.Equal("error: server shutting down", last);
        Assert.Null(await reader.ReadLineAsync(cts.Token)); // then the FIN
        await node.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(node.ExitCode == 0, $"exit code {node.ExitCode}\n{node.Describe()}");
        Assert.DoesNotContain("drain ran out", node.Stdout);
    }

    public void Dispose() => _dir.Dispose();
}
