using System.Buffers.Binary;
using System.Net.Sockets;
using ActorNet.Config;
using ActorNet.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

public sealed class ListenerLimitTests(ITestOutputHelper output) : NodeTestKit(output)
{
    [Fact(Timeout = 30_000)]
    public async Task Connections_over_max_connections_are_told_and_closed()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("echo", "echo") with { MaxConnections = 2 });
        await using var a = await LineClient.ConnectAsync(bound["echo"]);
        await using var b = await LineClient.ConnectAsync(bound["echo"]);
        await a.SendLineAsync("a");
        Assert.Equal("a", await a.ReadLineAsync());
        await b.SendLineAsync("b");
        Assert.Equal("b", await b.ReadLineAsync());

        await using var refused = await LineClient.ConnectAsync(bound["echo"]);
        Assert.Equal("error: too many connections", await refused.ReadLineAsync());
        Assert.True(await refused.WaitForCloseAsync());

        // once one leaves, a new client is accepted again
        await a.DisposeAsync();
        await AwaitAssertAsync(async () =>
        {
            await using var next = await LineClient.ConnectAsync(bound["echo"]);
            await next.SendLineAsync("in");
            Assert.Equal("in", await next.ReadLineAsync());
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact(Timeout = 30_000)]
    public async Task Max_connections_per_ip_is_enforced()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("echo", "echo") with { MaxConnectionsPerIp = 1 });
        await using var first = await LineClient.ConnectAsync(bound["echo"]);
        await first.SendLineAsync("x");
        Assert.Equal("x", await first.ReadLineAsync());
        await using var second = await LineClient.ConnectAsync(bound["echo"]);
        Assert.Equal("error: too many connections", await second.ReadLineAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Idle_connections_are_closed_after_the_idle_timeout_and_active_ones_are_not()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("echo", "echo") with { IdleTimeout = TimeSpan.FromMilliseconds(1500) });
        await using var idle = await LineClient.ConnectAsync(bound["echo"]);
        await using var active = await LineClient.ConnectAsync(bound["echo"]);

        var closed = idle.ReadLineAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 8; i++)
        {
            await active.SendLineAsync("keepalive");
            Assert.Equal("keepalive", await active.ReadLineAsync());
            await Task.Delay(300); // pacing the active client well below the timeout (slack for a loaded machine) is the point
        }

        Assert.Equal("error: idle timeout", await closed);
        Assert.True(await idle.WaitForCloseAsync());
        await active.SendLineAsync("still open");
        Assert.Equal("still open", await active.ReadLineAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Length_prefixed_framing_echoes_frames_and_cuts_oversized_ones()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("lp", "echo", framing: FramingKind.LengthPrefixed) with { MaxFrameBytes = 1000 });
        using var client = new TcpClient();
        await client.ConnectAsync(bound["lp"]);
        var stream = client.GetStream();

        // two frames in one write, the second split by the test into two writes
        var one = Frame("first"u8);
        var two = Frame("second"u8);
        await stream.WriteAsync(one.Concat(two.Take(3)).ToArray());
        await stream.WriteAsync(two.Skip(3).ToArray());
        Assert.Equal("first", await ReadFrameAsync(stream));
        Assert.Equal("second", await ReadFrameAsync(stream));

        var tooLong = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tooLong, 5000);
        await stream.WriteAsync(tooLong);
        var buffer = new byte[16];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await stream.ReadAsync(buffer, cts.Token)); // closed, no error frame in a binary protocol
    }

    private static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(4));
        return frame;
    }

    private static async Task<string> ReadFrameAsync(NetworkStream stream)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var header = new byte[4];
        await stream.ReadExactlyAsync(header, cts.Token);
        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
        await stream.ReadExactlyAsync(body, cts.Token);
        return System.Text.Encoding.UTF8.GetString(body);
    }
}
