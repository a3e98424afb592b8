using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Clients;

/// <summary>
/// The udp workload against a udp-relay listener: C peers register (a hello answered by the relay's COOKIE, which each
/// peer echoes to prove its address and is answered WELCOME; then a second hello round that every other peer must
/// see relayed), then each sends M datagrams
/// of S bytes; every datagram should reach the C-1 other peers. Reports relayed datagrams/s and loss.
/// </summary>
public static class UdpBench
{
    private static readonly byte[] Hello1 = "hello-1"u8.ToArray();
    private static readonly byte[] Hello2 = "hello-2"u8.ToArray();

    /// <summary>Runs one bounded udp measurement and returns its report.</summary>
    public static async Task<BenchReport> RunAsync(BenchOptions o, TextWriter stderr, CancellationToken ct)
    {
        if (o.Clients < 2)
            throw new ArgumentException("udp needs at least 2 peers");
        var cpu = new CpuMeter();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(o.Timeout);
        var peers = Enumerable.Range(0, o.Clients).Select(i => new Peer(i, o)).ToArray();
        var errors = new List<string>();
        var readers = peers.Select(p => p.ReadLoopAsync(cts.Token)).ToArray();
        long perPeer = (long)(o.Clients - 1) * o.Messages;
        long expected = perPeer * o.Clients;
        long Received() => peers.Sum(p => p.Tracker.Received);
        long t0 = 0, t1 = 0;
        try
        {
            using (new ProgressLine(stderr, o.Progress, () => $"[udp C={o.Clients}] relayed {Received():N0}/{expected:N0}"))
            {
                foreach (var p in peers) await p.SendAsync(Hello1, cts.Token).ConfigureAwait(false);
                // proof of address (README: UDP relay): echo the cookie; a relay with require-hello = off sends none
                var asked = Stopwatch.GetTimestamp();
                while (peers.Any(p => Volatile.Read(ref p.Cookie) is null) && Stopwatch.GetElapsedTime(asked) < TimeSpan.FromSeconds(2))
                    await Task.Delay(10, cts.Token).ConfigureAwait(false);
                foreach (var p in peers)
                    if (Volatile.Read(ref p.Cookie) is { } cookie) await p.SendAsync(cookie, cts.Token).ConfigureAwait(false);
                while (peers.Any(p => p.Cookie is not null && Volatile.Read(ref p.Welcomed) == 0) && Stopwatch.GetElapsedTime(asked) < TimeSpan.FromSeconds(5))
                    await Task.Delay(10, cts.Token).ConfigureAwait(false);
                if (peers.Any(p => p.Cookie is not null && Volatile.Read(ref p.Welcomed) == 0))
                    errors.Add("a peer echoed its COOKIE but got no WELCOME within 5 s");
                foreach (var p in peers) await p.SendAsync(Hello2, cts.Token).ConfigureAwait(false);
                var ready = Stopwatch.GetTimestamp();
                while (peers.Any(p => Volatile.Read(ref p.Hellos) < o.Clients - 1) && Stopwatch.GetElapsedTime(ready) < TimeSpan.FromSeconds(3))
                    await Task.Delay(10, cts.Token).ConfigureAwait(false);
                if (peers.Any(p => Volatile.Read(ref p.Hellos) < o.Clients - 1))
                    errors.Add("not every peer saw every other peer's hello within 3 s (relay not ready or lossy)");
                t0 = Stopwatch.GetTimestamp();
                var senders = Task.WhenAll(peers.Select(p => Task.Run(() => p.SendAllAsync(cts.Token))));
                long last = -1, quiet = Stopwatch.GetTimestamp();
                while (Received() < expected)
                {
                    await Task.Delay(20, cts.Token).ConfigureAwait(false);
                    long r = Received();
                    if (r != last) { last = r; quiet = Stopwatch.GetTimestamp(); }
                    else if (senders.IsCompleted && Stopwatch.GetElapsedTime(quiet) > TimeSpan.FromSeconds(1)) break;
                }
                await senders.ConfigureAwait(false);
                t1 = peers.Max(p => p.LastDelivery);
                if (t1 < t0) t1 = Stopwatch.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            errors.Add($"timed out after {o.Timeout.TotalSeconds:N0}s");
            t1 = Stopwatch.GetTimestamp();
        }
        catch (SocketException ex)
        {
            errors.Add($"udp: {ex.Message} (nothing listens on {o.EndPoint}?)");
            t1 = Stopwatch.GetTimestamp();
        }
        finally
        {
            cts.Cancel();
            foreach (var p in peers) p.Dispose();
        }
        var latency = new LatencyHistogram();
        foreach (var p in peers) latency.Merge(p.Latency);
        long received = Received();
        double seconds = t0 == 0 ? 0 : Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
        var metrics = new List<Metric>
        {
            new("peers", o.Clients, ""),
            new("messages_per_peer", o.Messages, ""),
            new("size", o.Size, "bytes"),
            new("rate_per_peer", o.Rate, "datagrams/s (0 = unlimited)"),
            new("expected", expected, "datagrams"),
            new("relayed", received, "datagrams"),
            new("loss_pct", expected == 0 ? 0 : 100.0 * (expected - received) / expected, "%"),
            new("duplicated", peers.Sum(p => p.Tracker.Duplicated), ""),
            new("reordered_udp", peers.Sum(p => p.Tracker.Reordered), "(UDP may reorder)"),
            new("duration_s", seconds, "s"),
            new("relayed_per_s", seconds > 0 ? received / seconds : 0, "/s"),
            new("latency_p50_us", latency.Percentile(50), "us"),
            new("latency_p99_us", latency.Percentile(99), "us"),
            new("bench_cpu_cores", cpu.Cores(), "cores (bench process CPU / wall)"),
        };
        return new BenchReport("udp", $"udp://{o.EndPoint}", metrics, errors);
    }

    private sealed class Peer : IDisposable
    {
        private readonly Socket _socket;
        private readonly BenchOptions _o;
        private readonly int _id;
        public int Hellos;
        public int Welcomed;
        public byte[]? Cookie;

        public Peer(int id, BenchOptions o)
        {
            _id = id;
            _o = o;
            _socket = new Socket(o.Host.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 * 1024 * 1024 };
            _socket.Bind(new IPEndPoint(o.Host, 0));
            _socket.Connect(o.EndPoint);
            Tracker = new DeliveryTracker(o.Clients, o.Messages);
        }

        public DeliveryTracker Tracker { get; }
        public LatencyHistogram Latency { get; } = new();
        public long LastDelivery { get; private set; }

        public async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct) =>
            await _socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);

        public async Task SendAllAsync(CancellationToken ct)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(_o.Size + Payload.MaxHeaderBytes);
            long start = Stopwatch.GetTimestamp();
            try
            {
                for (long seq = 0; seq < _o.Messages; seq++)
                {
                    if (_o.Rate > 0)
                    {
                        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + (long)(seq * Stopwatch.Frequency / _o.Rate));
                        if (wait > TimeSpan.FromMilliseconds(1))
                            await Task.Delay(wait, ct).ConfigureAwait(false);
                    }
                    int n = Payload.Write(buffer, _o.Size, _id, seq, Stopwatch.GetTimestamp());
                    try { await _socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, ct).ConfigureAwait(false); }
                    catch (SocketException) { } // ICMP refusals etc.: counted as loss
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public async Task ReadLoopAsync(CancellationToken ct)
        {
            var buffer = new byte[65536];
            try
            {
                while (true)
                {
                    int n;
                    try { n = await _socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false); }
                    catch (SocketException) when (!ct.IsCancellationRequested) { continue; }
                    var data = buffer.AsSpan(0, n);
                    if (data.SequenceEqual(Hello2)) { Interlocked.Increment(ref Hellos); continue; }
                    if (data.StartsWith("COOKIE "u8)) { Volatile.Write(ref Cookie, data.ToArray()); continue; }
                    if (data.SequenceEqual("WELCOME\n"u8)) { Volatile.Write(ref Welcomed, 1); continue; }
                    if (!Payload.TryRead(data, out int s, out long seq, out long ts) || s == _id)
                        continue;
                    long now = Stopwatch.GetTimestamp();
                    if (Tracker.Record(s, seq))
                    {
                        Latency.Record((now - ts) * 1_000_000 / Stopwatch.Frequency);
                        LastDelivery = now;
                    }
                }
            }
            catch (OperationCanceledException) { }
            catch (ObjectDisposedException) { }
            catch (SocketException) { }
        }

        public void Dispose() => _socket.Dispose();
    }
}
