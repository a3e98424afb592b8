using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Clients;

/// <summary>
/// The connect workload: N connections, each registered with IRC (NICK/USER until 001) or, with --plain, proven
/// accepted by one echoed line; all held open together. Reports connects/s and, with --server-pid, the server's
/// RSS growth per connection (VmRSS from /proc before and after).
/// </summary>
public static class ConnectBench
{
    /// <summary>Connections opened concurrently.</summary>
    public const int Parallelism = 64;

    /// <summary>Runs one bounded connect measurement and returns its report.</summary>
    public static async Task<BenchReport> RunAsync(BenchOptions o, TextWriter stderr, CancellationToken ct)
    {
        var cpu = new CpuMeter();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(o.Timeout);
        var sockets = new Socket?[o.Clients];
        var errors = new List<string>();
        long rssBefore = o.ServerPid is { } pid ? ReadVmRssKiB(pid) : 0;
        int established = 0, failed = 0;
        long t0 = Stopwatch.GetTimestamp(), t1 = 0;
        try
        {
            using (new ProgressLine(stderr, o.Progress, () => $"[connect N={o.Clients}] established {Volatile.Read(ref established):N0}, failed {Volatile.Read(ref failed):N0}"))
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, o.Clients),
                    new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cts.Token },
                    async (i, t) =>
                    {
                        try
                        {
                            sockets[i] = await OpenAsync(o, i, t).ConfigureAwait(false);
                            Interlocked.Increment(ref established);
                        }
                        catch (Exception ex) when (ex is SocketException or IOException)
                        {
                            if (Interlocked.Increment(ref failed) <= 5)
                                lock (errors) errors.Add($"connection {i}: {ex.Message}");
                        }
                    }).ConfigureAwait(false);
                t1 = Stopwatch.GetTimestamp();
                await Task.Delay(o.Hold, cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            errors.Add($"timed out after {o.Timeout.TotalSeconds:N0}s with {established} established");
            if (t1 == 0) t1 = Stopwatch.GetTimestamp();
        }
        long rssAfter = o.ServerPid is { } p2 ? ReadVmRssKiB(p2) : 0;
        int stillOpen = sockets.Count(s => s is { Connected: true });
        foreach (var s in sockets)
            s?.Dispose();
        if (failed > 0)
            errors.Add($"{failed} connections failed");
        double seconds = Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
        var metrics = new List<Metric>
        {
            new("connections", o.Clients, ""),
            new("established", established, ""),
            new("failed", failed, ""),
            new("held_open", stillOpen, ""),
            new("duration_s", seconds, "s"),
            new("connects_per_s", seconds > 0 ? established / seconds : 0, "/s"),
            new("bench_cpu_cores", cpu.Cores(), "cores (bench process CPU / wall)"),
        };
        if (o.ServerPid is not null)
        {
            metrics.Add(new("server_rss_before_kib", rssBefore, "KiB"));
            metrics.Add(new("server_rss_after_kib", rssAfter, "KiB"));
            metrics.Add(new("server_rss_per_conn_kib", established > 0 ? (double)(rssAfter - rssBefore) / established : 0, "KiB"));
        }
        return new BenchReport("connect", $"{(o.Plain ? "tcp" : "irc")}://{o.EndPoint}", metrics, errors);
    }

    private static async Task<Socket> OpenAsync(BenchOptions o, int i, CancellationToken ct)
    {
        var socket = new Socket(o.Host.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(o.EndPoint, ct).ConfigureAwait(false);
            string hello = o.Plain ? $"connect {i}\n" : $"NICK c{i}\r\nUSER c{i} 0 * :c\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(hello), SocketFlags.None, ct).ConfigureAwait(false);
            var sink = new UntilSink(o.Plain);
            if (!await LineLoop.RunAsync(socket, sink, ct, bufferBytes: 4096).ConfigureAwait(false) || !sink.Seen)
                throw new IOException(o.Plain ? "closed before the echo" : "closed before 001");
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads VmRSS (KiB) from /proc/PID/status; 0 when unavailable.</summary>
    public static long ReadVmRssKiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line["VmRSS:".Length..].Replace("kB", "").Trim());
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }

    private sealed class UntilSink(bool plain) : ILineSink
    {
        public bool Seen { get; private set; }

        public bool OnLine(ReadOnlySpan<byte> line)
        {
            if (plain || IrcLine.Command(line, out _).SequenceEqual("001"u8))
            {
                Seen = true;
                return false;
            }
            if (IrcLine.Command(line, out _).SequenceEqual("ERROR"u8))
                throw new IOException(Encoding.ASCII.GetString(line));
            return true;
        }
    }
}
