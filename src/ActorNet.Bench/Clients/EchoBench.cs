using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Clients;

/// <summary>The echo workload: C clients pipeline M lines of S bytes to a line-echo listener and read them back.</summary>
public static class EchoBench
{
    /// <summary>Runs one bounded echo measurement and returns its report.</summary>
    public static async Task<BenchReport> RunAsync(BenchOptions o, TextWriter stderr, CancellationToken ct)
    {
        var cpu = new CpuMeter();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(o.Timeout);
        var clients = Enumerable.Range(0, o.Clients).Select(i => new EchoClient(i, o)).ToArray();
        var errors = new List<string>();
        long expected = (long)o.Clients * o.Messages;
        long t0 = 0, t1 = 0;
        long Received() => clients.Sum(c => c.Tracker.Received);
        try
        {
            using (new ProgressLine(stderr, o.Progress, () => $"[echo C={o.Clients}] echoed {Received():N0}/{expected:N0}"))
            {
                await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cts.Token },
                    async (c, t) => await c.ConnectAsync(t).ConfigureAwait(false)).ConfigureAwait(false);
                t0 = Stopwatch.GetTimestamp();
                await Task.WhenAll(clients.Select(c => Task.Run(() => c.RunAsync(cts.Token)))).ConfigureAwait(false);
                t1 = Stopwatch.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            errors.Add($"timed out after {o.Timeout.TotalSeconds:N0}s");
            t1 = Stopwatch.GetTimestamp();
        }
        catch (SocketException ex)
        {
            errors.Add(ex.Message);
            t1 = Stopwatch.GetTimestamp();
        }
        finally
        {
            foreach (var c in clients)
                c.Dispose();
        }
        double cores = cpu.Cores();
        errors.AddRange(clients.Where(c => c.Error is not null).Take(10).Select(c => c.Error!));
        var latency = new LatencyHistogram();
        foreach (var c in clients)
            latency.Merge(c.Latency);
        long received = Received();
        double seconds = t0 == 0 ? 0 : Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
        var metrics = new List<Metric>
        {
            new("clients", o.Clients, ""),
            new("messages_per_client", o.Messages, ""),
            new("size", o.Size, "bytes"),
            new("expected", expected, "lines"),
            new("echoed", received, "lines"),
            new("lost", Math.Max(0, expected - received), ""),
            new("duplicated", clients.Sum(c => c.Tracker.Duplicated), ""),
            new("reordered", clients.Sum(c => c.Tracker.Reordered), ""),
            new("duration_s", seconds, "s"),
            new("msgs_per_s", seconds > 0 ? received / seconds : 0, "/s"),
            new("mb_per_s", seconds > 0 ? received * (o.Size + 1) / seconds / 1e6 : 0, "MB/s each way"),
            new("latency_p50_us", latency.Percentile(50), "us"),
            new("latency_p99_us", latency.Percentile(99), "us"),
            new("latency_max_us", latency.Count == 0 ? 0 : latency.Max, "us"),
            new("bench_cpu_cores", cores, "cores (bench process CPU / wall)"),
        };
        return new BenchReport("echo", $"tcp://{o.EndPoint}", metrics, errors);
    }

    private sealed class EchoClient(int id, BenchOptions o) : ILineSink, IDisposable
    {
        private readonly Socket _socket = new(o.Host.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DeliveryTracker Tracker { get; } = new(id + 1, o.Messages);
        public LatencyHistogram Latency { get; } = new();
        public string? Error { get; private set; }

        private System.Net.Security.SslStream? _tls;

        public async Task ConnectAsync(CancellationToken ct)
        {
            await _socket.ConnectAsync(o.EndPoint, ct).ConfigureAwait(false);
            if (o.Tls) _tls = await BenchTls.ConnectAsync(_socket, ct).ConfigureAwait(false);
        }

        public async Task RunAsync(CancellationToken ct)
        {
            var reader = ReadAsync(ct);
            int lineMax = o.Size + Payload.MaxHeaderBytes + 1;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(32 * 1024, lineMax * 4));
            try
            {
                int pos = 0;
                for (long seq = 0; seq < o.Messages; seq++)
                {
                    if (o.Window > 0 && (seq & 31) == 0)
                    {
                        if (pos > 0)
                        {
                            await SendAsync(buffer.AsMemory(0, pos), ct).ConfigureAwait(false);
                            pos = 0;
                        }
                        while (seq - Tracker.Received > o.Window)
                            await Task.Delay(1, ct).ConfigureAwait(false);
                    }
                    if (pos + lineMax > buffer.Length)
                    {
                        await SendAsync(buffer.AsMemory(0, pos), ct).ConfigureAwait(false);
                        pos = 0;
                    }
                    pos += Payload.Write(buffer.AsSpan(pos), o.Size, id, seq, Stopwatch.GetTimestamp());
                    buffer[pos++] = (byte)'\n';
                }
                await SendAsync(buffer.AsMemory(0, pos), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                Error ??= $"echo client {id}: send failed: {ex.Message}";
                _done.TrySetResult();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            if (o.Messages == 0)
                _done.TrySetResult();
            await _done.Task.WaitAsync(ct).ConfigureAwait(false);
            await reader.ConfigureAwait(false);
        }

        private async Task ReadAsync(CancellationToken ct)
        {
            try
            {
                await LineLoop.RunAsync(_socket, _tls, this, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { }
            catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
            {
                Error ??= $"echo client {id}: {ex.Message}";
            }
            if (Tracker.Received < o.Messages)
                Error ??= $"echo client {id}: connection closed after {Tracker.Received} of {o.Messages} echoes";
            _done.TrySetResult();
        }

        public bool OnLine(ReadOnlySpan<byte> line)
        {
            if (!Payload.TryRead(line, out int sender, out long seq, out long ts) || sender != id)
            {
                Tracker.RecordInvalid();
                return true;
            }
            long now = Stopwatch.GetTimestamp();
            if (Tracker.Record(sender, seq))
                Latency.Record((now - ts) * 1_000_000 / Stopwatch.Frequency);
            if (Tracker.Received >= o.Messages)
            {
                _done.TrySetResult();
                return false;
            }
            return true;
        }

        private async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
        {
            if (_tls is not null)
            {
                await _tls.WriteAsync(data, ct).ConfigureAwait(false);
                return;
            }

            while (!data.IsEmpty)
            {
                int n = await _socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);
                data = data[n..];
            }
        }

        public void Dispose()
        {
            try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            _tls?.Dispose();
            _socket.Dispose();
        }
    }
}
