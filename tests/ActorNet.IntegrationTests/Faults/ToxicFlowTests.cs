using System.Net;
using System.Net.Sockets;
using ActorNet.Testing;
using ActorNet.Transport;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>Latency and bandwidth toxics keep to the flow-control rule: a direction they slow down pauses the reads
/// that feed it (upstream lane: at input-credit-bytes held; downstream lane: its backlog counts toward the write queue's
/// soft limit) instead of growing a queue until the hard limit cuts the client.</summary>
[Collection(ActorNet.IntegrationTests.Support.SerialCollection.Name)]
public sealed class ToxicFlowTests(ITestOutputHelper output)
{
    private const int MiB = 1024 * 1024;

    private const string RawEcho = """
        actornet.listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo, framing = raw }
        """;

    [Theory(Timeout = 60_000)]
    [InlineData("upstream", "bandwidth", "rate", "2048")] // 2 MiB/s client → handler: 4 MiB take ~2 s
    [InlineData("upstream", "latency", "latency", "100ms")]
    [InlineData("downstream", "bandwidth", "rate", "2048")]
    [InlineData("downstream", "latency", "latency", "100ms")]
    public async Task A_slowed_direction_pauses_reads_and_loses_nothing(string direction, string type, string key, string value)
    {
        await using var node = await TestNode.StartAsync(RawEcho);
        Assert.True((await node.AddToxicAsync("slow", new Dictionary<string, string> { ["type"] = type, ["listener"] = "echo", ["direction"] = direction, [key] = value })).Ok);
        var payload = new byte[4 * MiB]; // 4× write-queue-limit-bytes: without a pause the backlog would be cut
        new Random(5).NextBytes(payload);

        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await client.ConnectAsync(node.Endpoint("echo"));
        var stream = client.GetStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var writing = Task.Run(async () =>
        {
            for (var at = 0; at < payload.Length; at += 64 * 1024) await stream.WriteAsync(payload.AsMemory(at, 64 * 1024), cts.Token);
        });
        var back = new byte[payload.Length];
        var got = 0;
        while (got < back.Length)
        {
            var read = await stream.ReadAsync(back.AsMemory(got), cts.Token);
            if (read == 0) break;
            got += read;
        }

        await writing;
        output.WriteLine($"{direction} {type} {value}: {got} of {payload.Length} bytes back");
        Assert.Equal(payload.Length, got);
        Assert.True(payload.AsSpan().SequenceEqual(back), "the echo differs from what was sent");
        var metrics = node.Runtime.Metrics.For("echo");
        Assert.Equal(0, metrics.Closed(DisconnectReason.SlowConsumer));
        Assert.Equal(1, metrics.Open);
    }
}

/// <summary>io-buffer-bytes: a listener's connections read with a buffer of its own size (the Tcp.Bind carries
/// TcpSettings of its own), whatever the node's akka.io.tcp.maximum-frame-size (128k).</summary>
[Collection(ActorNet.IntegrationTests.Support.SerialCollection.Name)]
public sealed class IoBufferTests
{
    [Theory(Timeout = 30_000)]
    [InlineData("1KiB", 1024)]
    [InlineData("0", 128 * 1024)]
    public async Task Reads_of_a_listener_are_at_most_its_io_buffer(string setting, int expectedMax)
    {
        await using var node = await TestNode.StartAsync($$"""
            actornet.listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo, framing = raw, io-buffer-bytes = {{setting}} }
            """);
        Assert.Equal(setting == "0" ? 0 : expectedMax, node.Settings.Listeners.Single().IoBufferBytes);
        var payload = new byte[512 * 1024];
        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await client.ConnectAsync(node.Endpoint("echo"));
        var stream = client.GetStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var writing = stream.WriteAsync(payload, cts.Token).AsTask();
        var got = 0;
        var buffer = new byte[64 * 1024];
        while (got < payload.Length) got += await stream.ReadAsync(buffer, cts.Token);
        await writing;
        var metrics = node.Runtime.Metrics.For("echo");
        // raw framing: one frame per socket read
        Assert.True(metrics.FramesIn >= payload.Length / expectedMax, $"{metrics.FramesIn} reads for {payload.Length} bytes");
        if (expectedMax == 1024) Assert.True(metrics.FramesIn >= 512, $"{metrics.FramesIn} reads: some were over 1 KiB");
    }
}
