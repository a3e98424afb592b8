using ActorNet.Runtime;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.IntegrationTests.Support;
using ActorNet.Transport;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

/// <summary>Bulk streams through echo and forward: backpressure instead of cuts, half-close, nothing lost. Serial: they
/// load the machine and measure this process's live heap (the node runs in it), which parallel tests would disturb.</summary>
[Collection(SerialCollection.Name)]
public sealed class StreamFlowTests(ITestOutputHelper output) : NodeTestKit(output)
{
    private const int MiB = 1024 * 1024;

    /// <summary>Live managed heap right now (after a full collection): the node runs in this process.</summary>
    private static long LiveHeap() => GC.GetTotalMemory(forceFullCollection: true);

    private static ListenerSettings Raw(string name, string handler) =>
        TestSettings.Listener(name, handler, framing: FramingKind.Raw) with { MaxFrameBytes = 64 * 1024 };

    [Fact(Timeout = 120_000)]
    public async Task Proxy_carries_256_MiB_to_a_fast_sink_whole_and_in_order()
    {
        await using var sink = TcpSink.Start(bytesPerSecond: 0, stallAfter: -1);
        var bound = await StartNodeAsync(Raw("proxy", "forward") with { Upstream = new HostPort("127.0.0.1", sink.Port) });
        var heapBefore = LiveHeap();
        var sent = await Upload(bound["proxy"], 256L * MiB, sink);
        var received = await sink.Result.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(sent.Bytes, received.Bytes);
        Assert.Equal(sent.Sha256, received.Sha256);
        await AssertOnlyClientClosesAsync("proxy");
        Assert.True(sink.MaxLiveHeapGrowth(heapBefore) < 64L * MiB, $"heap grew {sink.MaxLiveHeapGrowth(heapBefore)} bytes");
    }

    /// <summary>A sink that reads at 64 MB/s and stops reading for 5 s after 64 MiB: the proxy pauses its client instead
    /// of queueing, and every byte arrives.</summary>
    [Fact(Timeout = 120_000)]
    public async Task Proxy_carries_256_MiB_to_a_throttled_sink_that_stalls_for_5_s_without_loss()
    {
        await using var sink = TcpSink.Start(bytesPerSecond: 64L * MiB, stallAfter: 64L * MiB);
        var bound = await StartNodeAsync(Raw("proxy", "forward") with { Upstream = new HostPort("127.0.0.1", sink.Port) });
        var heapBefore = LiveHeap();
        var sent = await Upload(bound["proxy"], 256L * MiB, sink);
        var received = await sink.Result.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(sent.Bytes, received.Bytes);
        Assert.Equal(sent.Sha256, received.Sha256);
        await AssertOnlyClientClosesAsync("proxy");
        Assert.True(sink.MaxLiveHeapGrowth(heapBefore) < 64L * MiB, $"heap grew {sink.MaxLiveHeapGrowth(heapBefore)} bytes");
    }

    /// <summary>The client writes 64 MiB and reads its echo slowly (small socket buffer, a pause every 256 KiB):
    /// the echo is not cut as a slow consumer, every byte comes back in order, and the node's live heap grows by less
    /// than 32 MiB (write queue 1 MiB, credit 256 KiB, the rest stays in socket buffers).</summary>
    [Fact(Timeout = 120_000)]
    public async Task Echo_returns_64_MiB_to_a_slow_reader_in_order_with_a_bounded_heap()
    {
        var bound = await StartNodeAsync(Raw("echo", "echo"));
        var heapBefore = LiveHeap();
        long maxGrowth = 0;
        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true, ReceiveBufferSize = 64 * 1024 };
        await client.ConnectAsync(bound["echo"]);
        var stream = client.GetStream();
        const long Total = 64L * MiB;
        using var sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var writing = Task.Run(async () =>
        {
            var chunk = new byte[64 * 1024];
            var random = new Random(12);
            for (long done = 0; done < Total; done += chunk.Length)
            {
                random.NextBytes(chunk);
                sentHash.AppendData(chunk);
                await stream.WriteAsync(chunk);
            }

            client.Client.Shutdown(SocketShutdown.Send); // half-close: the echo answers all of it, then closes
        });

        using var receivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16 * 1024];
        long received = 0, nextPause = 256 * 1024, nextSample = 8L * MiB;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        int read;
        while ((read = await stream.ReadAsync(buffer, cts.Token)) > 0)
        {
            receivedHash.AppendData(buffer, 0, read);
            received += read;
            if (received >= nextPause)
            {
                nextPause += 256 * 1024;
                await Task.Delay(1, cts.Token); // the slow reader
            }

            if (received >= nextSample)
            {
                nextSample += 8L * MiB;
                maxGrowth = Math.Max(maxGrowth, LiveHeap() - heapBefore);
            }
        }

        await writing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Total, received);
        Assert.Equal(sentHash.GetHashAndReset(), receivedHash.GetHashAndReset());
        Assert.True(maxGrowth < 32L * MiB, $"live heap grew {maxGrowth} bytes");
        Assert.Equal(0, NodeRuntime.Get(Sys).Metrics.For("echo").SlowConsumerCuts);
    }

    [Fact(Timeout = 60_000)]
    public async Task Half_close_after_1_MiB_to_echo_gets_all_of_it_back_then_EOF()
    {
        var bound = await StartNodeAsync(Raw("echo", "echo"));
        await AssertHalfCloseEchoes(bound["echo"]);
        await AssertOnlyClientClosesAsync("echo");
    }

    [Fact(Timeout = 60_000)]
    public async Task Half_close_after_1_MiB_through_forward_to_echo_gets_all_of_it_back_then_EOF()
    {
        var port = FreePort.Next();
        var bound = await StartNodeAsync(Raw("echo", "echo") with { Port = port },
            Raw("proxy", "forward") with { Upstream = new HostPort("127.0.0.1", port) });
        await AssertHalfCloseEchoes(bound["proxy"]);
        await AssertOnlyClientClosesAsync("proxy");
    }

    /// <summary>The other direction: the upstream sends 1 MiB and half-closes; the client gets all of it, then EOF,
    /// and may still send: its 1 MiB reaches the upstream after the upstream's FIN, then its own FIN does.</summary>
    [Fact(Timeout = 60_000)]
    public async Task Upstream_half_close_through_forward_reaches_the_client_who_may_still_send()
    {
        using var upstream = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        var bound = await StartNodeAsync(Raw("proxy", "forward") with { Upstream = new HostPort("127.0.0.1", ((IPEndPoint)upstream.LocalEndpoint).Port) });
        var down = new byte[MiB];
        var up = new byte[MiB];
        new Random(11).NextBytes(down);
        new Random(12).NextBytes(up);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        var server = Task.Run(async () =>
        {
            using var socket = await upstream.AcceptSocketAsync(cts.Token);
            await using var net = new NetworkStream(socket, ownsSocket: false); // (NetworkStream refuses a half-closed socket)
            await net.WriteAsync(down, cts.Token);
            socket.Shutdown(SocketShutdown.Send);
            return await ReadToEndAsync(net, cts.Token);
        });

        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await client.ConnectAsync(bound["proxy"]);
        var stream = client.GetStream();
        var got = await ReadToEndAsync(stream, cts.Token); // ends at the FIN the proxy passed on
        Assert.True(down.AsSpan().SequenceEqual(got), $"the client got {got.Length} bytes, not the upstream's {down.Length}");
        await stream.WriteAsync(up, cts.Token); // the client's half is still open
        client.Client.Shutdown(SocketShutdown.Send);
        var received = await server;
        Assert.True(up.AsSpan().SequenceEqual(received), $"the upstream got {received.Length} bytes, not the client's {up.Length}");
        await AssertOnlyClientClosesAsync("proxy");
    }

    /// <summary>A client that sends a byte and closes at once (a port probe) while its upstream streams: once the
    /// client's connection is gone (reset by the first bytes written to it), the upstream connection is closed too,
    /// not left open and unread (it was: Akka.IO's connection outlived the link after the link's FIN, and the upstream
    /// blocked on a full window forever).</summary>
    [Fact(Timeout = 60_000)]
    public async Task A_client_gone_after_its_half_close_takes_its_upstream_connection_with_it()
    {
        using var upstream = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        var bound = await StartNodeAsync(Raw("proxy", "forward") with { Upstream = new HostPort("127.0.0.1", ((IPEndPoint)upstream.LocalEndpoint).Port) });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var server = Task.Run(async () =>
        {
            using var socket = await upstream.AcceptSocketAsync(cts.Token);
            var chunk = new byte[64 * 1024];
            long sent = 0;
            try
            {
                // streams until the node closes this connection; a node that keeps it open and unread blocks this
                // send on the full window until the test times out
                while (true) sent += await socket.SendAsync(chunk, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                return sent;
            }
        });

        using (var client = new TcpClient(AddressFamily.InterNetwork))
        {
            await client.ConnectAsync(bound["proxy"]);
            await client.GetStream().WriteAsync(new byte[] { (byte)'\n' });
            client.Client.Shutdown(SocketShutdown.Send);
        } // closed: the node's first writes to it are answered with a reset

        var streamed = await server.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(streamed > 0, "the upstream sent nothing before the node closed it");
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream, CancellationToken ct)
    {
        var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0) all.Write(buffer, 0, read);
        return all.ToArray();
    }

    private static async Task AssertHalfCloseEchoes(IPEndPoint endpoint)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await client.ConnectAsync(endpoint);
        var stream = client.GetStream();
        var payload = new byte[MiB];
        new Random(7).NextBytes(payload);
        var writing = Task.Run(async () =>
        {
            await stream.WriteAsync(payload);
            client.Client.Shutdown(SocketShutdown.Send);
        });
        var back = new MemoryStream();
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read;
        while ((read = await stream.ReadAsync(buffer, cts.Token)) > 0) back.Write(buffer, 0, read); // ends at EOF
        await writing;
        Assert.Equal(payload.Length, back.Length);
        Assert.True(payload.AsSpan().SequenceEqual(back.ToArray()), "the echo differs from what was sent");
    }

    /// <summary>Every connection of the listener ended with the client's own close: no cut, no upstream failure.</summary>
    private async Task AssertOnlyClientClosesAsync(string listener)
    {
        var metrics = NodeRuntime.Get(Sys).Metrics.For(listener);
        await AwaitAssertAsync(() => Assert.Equal(0, metrics.Open), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));
        foreach (var reason in Enum.GetValues<DisconnectReason>())
            if (reason != DisconnectReason.ClientClosed) Assert.Equal(0, metrics.Closed(reason));
        Assert.True(metrics.Closed(DisconnectReason.ClientClosed) >= 1);
    }

    /// <summary>Writes <paramref name="total"/> seeded random bytes, half-closes, and waits for the proxy's EOF.</summary>
    private async Task<(long Bytes, byte[] Sha256)> Upload(IPEndPoint proxy, long total, TcpSink sink)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await client.ConnectAsync(proxy);
        var stream = client.GetStream();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[256 * 1024];
        var random = new Random(42);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        for (long done = 0; done < total; done += chunk.Length)
        {
            random.NextBytes(chunk);
            hash.AppendData(chunk);
            await stream.WriteAsync(chunk, cts.Token);
            if ((done & (32L * MiB - 1)) == 0) sink.SampleHeap();
        }

        client.Client.Shutdown(SocketShutdown.Send);
        var buffer = new byte[1024];
        Assert.Equal(0, await stream.ReadAsync(buffer, cts.Token)); // EOF once the sink has it all and closed
        return (total, hash.GetHashAndReset());
    }
}

/// <summary>An upstream for the proxy tests: accepts one connection, reads to EOF (at a rate, with a stall), hashes
/// what it read, then closes.</summary>
internal sealed class TcpSink : IAsyncDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener;
    private long _maxHeap;

    private TcpSink(System.Net.Sockets.TcpListener listener, long bytesPerSecond, long stallAfter)
    {
        _listener = listener;
        Result = Task.Run(() => RunAsync(bytesPerSecond, stallAfter));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task<(long Bytes, byte[] Sha256)> Result { get; }

    public static TcpSink Start(long bytesPerSecond, long stallAfter)
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new TcpSink(listener, bytesPerSecond, stallAfter);
    }

    public void SampleHeap()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        if (heap > Interlocked.Read(ref _maxHeap)) Interlocked.Exchange(ref _maxHeap, heap);
    }

    public long MaxLiveHeapGrowth(long before) => Math.Max(0, Interlocked.Read(ref _maxHeap) - before);

    private async Task<(long, byte[])> RunAsync(long bytesPerSecond, long stallAfter)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        using var socket = await _listener.AcceptSocketAsync(cts.Token);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        var clock = Stopwatch.StartNew();
        long total = 0, pacedFrom = 0;
        var stalled = false;
        int read;
        while ((read = await socket.ReceiveAsync(buffer, cts.Token)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
            if (!stalled && stallAfter >= 0 && total >= stallAfter)
            {
                stalled = true;
                await Task.Delay(TimeSpan.FromSeconds(5), cts.Token); // the downstream stops reading for 5 s
                clock.Restart();
                pacedFrom = total;
            }

            if (bytesPerSecond > 0)
            {
                var due = TimeSpan.FromSeconds((double)(total - pacedFrom) / bytesPerSecond) - clock.Elapsed;
                if (due > TimeSpan.FromMilliseconds(1)) await Task.Delay(due, cts.Token);
            }
        }

        socket.Shutdown(SocketShutdown.Both);
        return (total, hash.GetHashAndReset());
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await Result.WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (Exception)
        {
            // the test has failed already, or the sink was never connected
        }
    }
}
