using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Clients;

/// <summary>
/// The proxy workload: C (--clients) parallel bulk uploads of --mib MiB each through a TCP forward proxy (--port) to
/// a sink this process listens on (--sink-port, the proxy's upstream). Every sink connection checks each byte against
/// the pattern at its offset (in order, none lost, none changed) and closes after the sender's FIN; a sender ends at
/// the proxy's FIN back. With --download the other way round: each upstream connection the sink accepts sends --mib
/// MiB and its FIN, and each client checks every byte, then closes. Reports MB/s (10^6 bytes/s) of the whole run,
/// bytes lost, corrupt transfers and, with --server-pid, the proxy's RSS growth (peak during the run minus before) and
/// its CPU (cores busy, and CPU seconds per GiB moved).
/// </summary>
public static class ProxyBench
{
    private const int Chunk = 1 << 20;

    public static async Task<BenchReport> RunAsync(BenchOptions o, TextWriter stderr, CancellationToken ct)
    {
        if (o.SinkPort is < 1 or > 65535) throw new ArgumentException("proxy: --sink-port 1..65535 (the proxy's upstream) is required");
        if (o.TransferMiB < 1) throw new ArgumentException("proxy: --mib >= 1");
        var pattern = new byte[Chunk];
        new Random(42).NextBytes(pattern);
        long perTransfer = (long)o.TransferMiB * Chunk;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(o.Timeout);
        var errors = new ConcurrentQueue<string>();
        var cpu = new CpuMeter();

        var sink = new TcpListener(o.Host, o.SinkPort);
        sink.Start(Math.Max(64, o.Clients));
        long rssBefore = o.ServerPid is { } pid ? ConnectBench.ReadVmRssKiB(pid) : 0, rssPeak = rssBefore;
        double serverCpuBefore = o.ServerPid is { } cpuPid ? CpuMeter.ProcessCpuSeconds(cpuPid) : 0;
        using var sampling = new CancellationTokenSource();
        var sampler = o.ServerPid is { } p ? Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                rssPeak = Math.Max(rssPeak, ConnectBench.ReadVmRssKiB(p));
                try { await Task.Delay(100, sampling.Token); } catch (OperationCanceledException) { }
            }
        }) : Task.CompletedTask;

        var t0 = Stopwatch.GetTimestamp();
        var drains = new List<Task<long>>();
        // Accepts until the senders are done, not just C times: a connection that is not the proxy's (a port probe from
        // another process on the machine, e.g. a bench script's free_port) must not take a transfer's place, or the
        // proxy's last upstream connection waits in the backlog forever and the run stalls until its timeout.
        using var stopAccepting = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var socket = await sink.AcceptSocketAsync(stopAccepting.Token);
                    var side = o.Download ? SourceAsync(socket, pattern, perTransfer, cts.Token) : DrainAsync(socket, pattern, errors, cts.Token);
                    lock (drains) drains.Add(side);
                }
            }
            catch (OperationCanceledException) when (stopAccepting.IsCancellationRequested)
            {
            }
        });
        // Upload: a client returns 0 and the sink side counts what it checked; download: the other way round.
        var clients = Enumerable.Range(0, o.Clients)
            .Select(i => o.Download ? ReceiveAsync(o.EndPoint, pattern, errors, cts.Token) : SendAsync(o.EndPoint, pattern, perTransfer, errors, cts.Token))
            .ToArray();
        long received = 0;
        try
        {
            // a client ends at the proxy's FIN, which follows its sink connection's close (upload) or send (download)
            received = (await Task.WhenAll(clients)).Sum();
            await stopAccepting.CancelAsync();
            await accepting;
            Task<long>[] all;
            lock (drains) all = drains.ToArray();
            received += (await Task.WhenAll(all)).Sum();
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException)
        {
            errors.Enqueue(cts.IsCancellationRequested ? $"timed out after {o.Timeout.TotalSeconds:F0} s" : ex.Message);
            received = clients.Where(c => c.IsCompletedSuccessfully).Sum(c => c.Result);
            lock (drains) received += drains.Where(d => d.IsCompletedSuccessfully).Sum(d => d.Result);
        }

        var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        sampling.Cancel();
        await sampler;
        sink.Stop();
        long expected = perTransfer * o.Clients;
        var metrics = new List<Metric>
        {
            new("transfers", o.Clients, ""),
            new("download", o.Download ? 1 : 0, "1 = sink to clients, 0 = clients to sink"),
            new("mib_per_transfer", o.TransferMiB, "MiB"),
            new("duration_s", seconds, "s"),
            new("mb_per_s", received / seconds / 1e6, "MB/s (10^6 bytes/s, all transfers together)"),
            new("lost", expected - received, "bytes"),
            new("corrupt", errors.Count(e => e.StartsWith("corrupt", StringComparison.Ordinal)), "transfers"),
            new("bench_cpu_cores", cpu.Cores(), "cores (bench process CPU / wall: senders and sink)"),
        };
        if (o.ServerPid is not null)
        {
            metrics.Add(new("server_rss_before_kib", rssBefore, "KiB"));
            metrics.Add(new("server_rss_peak_kib", rssPeak, "KiB"));
            metrics.Add(new("server_rss_growth_mib", (rssPeak - rssBefore) / 1024.0, "MiB"));
            var serverCpu = CpuMeter.ProcessCpuSeconds(o.ServerPid.Value) - serverCpuBefore;
            metrics.Add(new("server_cpu_cores", seconds <= 0 ? 0 : serverCpu / seconds, "cores (the proxy process's CPU / wall)"));
            metrics.Add(new("server_cpu_s_per_gib", received <= 0 ? 0 : serverCpu / (received / (double)(1L << 30)), "CPU s per GiB moved (the proxy process)"));
        }

        return new BenchReport("proxy", o.Download ? $"sink 127.0.0.1:{o.SinkPort} -> {o.EndPoint}" : $"{o.EndPoint} -> sink 127.0.0.1:{o.SinkPort}", metrics, errors.Distinct().Take(10).ToList());
    }

    private static async Task<long> SendAsync(IPEndPoint proxy, byte[] pattern, long total, ConcurrentQueue<string> errors, CancellationToken ct)
    {
        using var client = new Socket(proxy.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(proxy, ct);
        for (long sent = 0; sent < total;)
        {
            var n = (int)Math.Min(pattern.Length, total - sent);
            sent += await client.SendAsync(pattern.AsMemory(0, n), SocketFlags.None, ct);
        }

        client.Shutdown(SocketShutdown.Send);
        var buffer = new byte[4096];
        while (true)
        {
            var read = await client.ReceiveAsync(buffer, SocketFlags.None, ct); // the proxy's FIN ends the transfer
            if (read == 0) return 0;
            errors.Enqueue("the proxy sent bytes back on an upload");
        }
    }

    /// <summary>A download: reads to the proxy's FIN, checking every byte against the pattern at its offset, then
    /// closes (the proxy passes that FIN on to the sink side, which ends there).</summary>
    private static async Task<long> ReceiveAsync(IPEndPoint proxy, byte[] pattern, ConcurrentQueue<string> errors, CancellationToken ct)
    {
        using var client = new Socket(proxy.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(proxy, ct);
        var got = await ReadCheckedAsync(client, pattern, errors, ct);
        client.Shutdown(SocketShutdown.Send);
        return got;
    }

    /// <summary>The sink side of a download: sends <paramref name="total"/> bytes of the pattern and its FIN, then waits
    /// for the client's FIN through the proxy. Counts nothing (the client does), and a connection that fails is no
    /// transfer of its own: a port probe that resets, or a proxy that lost it, which its client reports as loss.</summary>
    private static async Task<long> SourceAsync(Socket socket, byte[] pattern, long total, CancellationToken ct)
    {
        using var _ = socket;
        try
        {
            for (long sent = 0; sent < total;)
            {
                var n = (int)Math.Min(pattern.Length, total - sent);
                sent += await socket.SendAsync(pattern.AsMemory(0, n), SocketFlags.None, ct);
            }

            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, ct) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }

        return 0;
    }

    /// <summary>Reads one upload to its EOF, checking every byte against the pattern at its offset; then closes. A
    /// connection that ends without a byte is no transfer (a port probe) and counts nothing.</summary>
    private static async Task<long> DrainAsync(Socket socket, byte[] pattern, ConcurrentQueue<string> errors, CancellationToken ct)
    {
        using var _ = socket;
        long got;
        try
        {
            got = await ReadCheckedAsync(socket, pattern, errors, ct);
        }
        catch (SocketException)
        {
            return 0; // a probe that reset before sending: no transfer
        }

        if (got == 0) return 0; // a probe: it is gone already
        socket.Shutdown(SocketShutdown.Send);
        return got;
    }

    /// <summary>Reads to EOF, checking every byte against the pattern at its offset (a mismatch is reported once).</summary>
    private static async Task<long> ReadCheckedAsync(Socket socket, byte[] pattern, ConcurrentQueue<string> errors, CancellationToken ct)
    {
        var buffer = new byte[256 * 1024];
        long got = 0;
        var corrupt = false;
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            }
            catch (SocketException) when (got > 0)
            {
                errors.Enqueue($"a transfer was reset after {got} bytes");
                return got;
            }

            if (read == 0) return got;
            if (!corrupt && !Matches(buffer.AsSpan(0, read), pattern, got))
            {
                corrupt = true;
                errors.Enqueue($"corrupt: a transfer differs from what was sent near byte {got}");
            }

            got += read;
        }
    }

    private static bool Matches(ReadOnlySpan<byte> data, byte[] pattern, long offset)
    {
        var at = (int)(offset % pattern.Length);
        while (!data.IsEmpty)
        {
            var n = Math.Min(data.Length, pattern.Length - at);
            if (!data[..n].SequenceEqual(pattern.AsSpan(at, n))) return false;
            data = data[n..];
            at = 0;
        }

        return true;
    }
}
