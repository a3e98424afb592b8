using System.Diagnostics;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Clients;

/// <summary>
/// The fan-out workload: C clients join one channel (or subscribe to one subject), each sends M messages of S bytes;
/// every message must reach the C-1 other clients exactly once and in per-sender order.
/// </summary>
public static class FanoutBench
{
    /// <summary>Runs one bounded fan-out measurement and returns its report.</summary>
    public static async Task<BenchReport> RunAsync(BenchOptions o, FanoutProtocol protocol, TextWriter stderr, CancellationToken ct)
    {
        if (o.Clients < 2)
            throw new ArgumentException("fanout needs at least 2 clients");
        var cpu = new CpuMeter();
        var setupStart = Stopwatch.GetTimestamp();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(o.Timeout);
        var shared = new FanoutShared(o, protocol);
        var clients = Enumerable.Range(0, o.Clients).Select(i => new FanoutClient(i, shared)).ToArray();
        var readers = new Task[clients.Length];
        var errors = new List<string>();
        long expectedPerReceiver = (long)(o.Clients - 1) * o.Messages;
        long expected = expectedPerReceiver * o.Clients;
        long t0 = 0, t1 = 0;
        string phase = "connect";
        long Delivered() => clients.Sum(c => c.Tracker.Received);
        long SentTotal() => clients.Sum(c => c.Sent);
        long lastCount = 0, lastTick = Stopwatch.GetTimestamp();
        string ProgressText()
        {
            long d = Delivered(), now = Stopwatch.GetTimestamp();
            double rate = (d - lastCount) / Math.Max(1e-9, Stopwatch.GetElapsedTime(lastTick, now).TotalSeconds);
            lastCount = d;
            lastTick = now;
            return $"[{protocol.ToString().ToLowerInvariant()} fanout C={o.Clients}] {phase}: sent {SentTotal():N0}/{(long)o.Messages * o.Clients:N0}"
                + $" delivered {d:N0}/{expected:N0} ({rate:N0}/s)";
        }
        try
        {
            using (new ProgressLine(stderr, o.Progress, ProgressText))
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, clients.Length),
                    new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cts.Token },
                    async (i, t) =>
                    {
                        var c = clients[i];
                        await c.ConnectAsync(o.EndPointFor(i), t).ConfigureAwait(false);
                        readers[i] = c.ReadLoopAsync(cts.Token);
                        if (protocol == FanoutProtocol.Irc)
                        {
                            await c.Registered.Task.WaitAsync(t).ConfigureAwait(false);
                            await c.JoinAsync(t).ConfigureAwait(false);
                        }
                        await c.Ready.Task.WaitAsync(t).ConfigureAwait(false);
                    }).ConfigureAwait(false);

                phase = "run";
                t0 = Stopwatch.GetTimestamp();
                var senders = Task.WhenAll(clients.Select(c => Task.Run(() => c.SendLoopAsync(cts.Token))));
                await WaitForDeliveriesAsync(shared, senders, Delivered, cts.Token).ConfigureAwait(false);
                t1 = clients.Max(c => c.LastDeliveryTimestamp);
                if (t1 < t0)
                    t1 = Stopwatch.GetTimestamp();
                phase = "done";
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            errors.Add($"timed out after {o.Timeout.TotalSeconds:N0}s in phase '{phase}'");
            t1 = t1 == 0 ? Stopwatch.GetTimestamp() : t1;
        }
        catch (IOException ex)
        {
            errors.Add($"{phase}: {ex.Message}");
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            errors.Add($"{phase}: {ex.Message}");
        }
        finally
        {
            cts.Cancel();
            foreach (var c in clients)
                c.Dispose();
        }
        double cores = cpu.Cores();
        foreach (var c in clients)
            if (c.Error is { } e && errors.Count < 10)
                errors.Add(e);
        return BuildReport(o, protocol, clients, expected, t0, t1, setupStart, cores, errors);
    }

    private static async Task WaitForDeliveriesAsync(FanoutShared shared, Task senders, Func<long> delivered, CancellationToken ct)
    {
        long last = -1;
        long quietSince = Stopwatch.GetTimestamp();
        while (!shared.AllReceived.Task.IsCompleted)
        {
            await Task.WhenAny(shared.AllReceived.Task, Task.Delay(200, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            long d = delivered();
            if (d != last)
            {
                last = d;
                quietSince = Stopwatch.GetTimestamp();
            }
            else if (senders.IsCompleted && Stopwatch.GetElapsedTime(quietSince) > TimeSpan.FromSeconds(3))
                return; // everything sent, nothing arrived for 3 s: the rest is lost
        }
    }

    private static BenchReport BuildReport(BenchOptions o, FanoutProtocol protocol, FanoutClient[] clients, long expected,
        long t0, long t1, long setupStart, double cores, List<string> errors)
    {
        var latency = new LatencyHistogram();
        long received = 0, dup = 0, reord = 0, invalid = 0, lost = 0;
        long perReceiver = (long)(o.Clients - 1) * o.Messages;
        foreach (var c in clients)
        {
            latency.Merge(c.Latency);
            received += c.Tracker.Received;
            dup += c.Tracker.Duplicated;
            reord += c.Tracker.Reordered;
            invalid += c.Tracker.Invalid;
            lost += c.Tracker.Lost(perReceiver);
        }
        double seconds = t0 == 0 ? 0 : Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
        var metrics = new List<Metric>
        {
            new("clients", o.Clients, ""),
            new("messages_per_client", o.Messages, ""),
            new("size", o.Size, "bytes"),
            new("rate_per_client", o.Rate, "msg/s (0 = unlimited)"),
            new("expected", expected, "deliveries"),
            new("delivered", received, "deliveries"),
            new("lost", lost, ""),
            new("duplicated", dup, ""),
            new("reordered", reord, ""),
            new("invalid", invalid, "lines"),
            new("setup_s", t0 == 0 ? 0 : Stopwatch.GetElapsedTime(setupStart, t0).TotalSeconds, "s"),
            new("duration_s", seconds, "s"),
            new("deliveries_per_s", seconds > 0 ? received / seconds : 0, "/s"),
            new("sent_per_s", seconds > 0 ? (double)o.Messages * o.Clients / seconds : 0, "/s"),
            new("latency_p50_us", latency.Percentile(50), "us"),
            new("latency_p99_us", latency.Percentile(99), "us"),
            new("latency_max_us", latency.Count == 0 ? 0 : latency.Max, "us"),
            new("bench_cpu_cores", cores, "cores (bench process CPU / wall)"),
        };
        string target = $"{(protocol == FanoutProtocol.Irc ? "irc" : "nats")}://{o.EndPoint} {o.Channel}";
        return new BenchReport(protocol == FanoutProtocol.Irc ? "fanout" : "nats-fanout", target, metrics, errors);
    }
}
