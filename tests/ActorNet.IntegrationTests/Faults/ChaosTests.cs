using ActorNet.Faults;
using ActorNet.Runtime;
using ActorNet.Testing;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>A 60-second chaos run with 100 clients ends healthy (set ACTORNET_CHAOS_SECONDS=10 for a quick local run).
/// The draw interval scales with the duration (about 100 draws in all), so that some clients survive to be checked.</summary>
[Collection(ActorNet.IntegrationTests.Support.SerialCollection.Name)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact(Timeout = 180_000)]
    public async Task Chaos_run_with_100_clients_ends_with_baseline_tree_and_intact_survivors()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("ACTORNET_CHAOS_SECONDS"), out var s) ? s : 60;
        var intervalMs = seconds * 1000 / 100;
        await using var node = await TestNode.StartAsync($$"""
            actornet {
              listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
              faults.chaos { seed = 1234, interval = {{intervalMs}}ms, probability = 0.5, modes = [close, reset, crash] }
            }
            """);
        var baseline = await node.TreeSizeAsync();
        GC.Collect();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        var clients = new List<CountingClient>();
        for (var i = 0; i < 100; i++) clients.Add(await node.ConnectAsync("echo", "c" + i));
        using var stop = new CancellationTokenSource();
        var runs = clients.Select(c => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                if (!await c.ExchangeAsync(10, batch: 10, timeout: TimeSpan.FromSeconds(20))) return;
        })).ToList();

        var started = await node.Control.StartChaosAsync(new ChaosMonkey.Start());
        Assert.True(started.Ok, started.Message);
        await Task.Delay(TimeSpan.FromSeconds(seconds)); // pacing: the chaos run itself
        var status = (ChaosMonkey.Status)(await node.Control.StopChaosAsync()).Data!;
        await stop.CancelAsync();
        await Task.WhenAll(runs);

        var closed = clients.Count(c => c.Closed);
        var restarts = node.Runtime.Metrics.For("echo").HandlerRestarts;
        output.WriteLine($"seed {status.Seed}: {status.Draws} draws, {status.Kills} kills, {closed} clients closed, {restarts} handler restarts, " +
                         $"{clients.Sum(c => c.Received)} lines echoed");
        Assert.True(status.Kills > 0 && closed > 0 && restarts > 0, "chaos killed in every mode");
        foreach (var c in clients)
        {
            if (c.Closed) Assert.True(c.PrefixIntact, "killed " + c);
            else Assert.True(c.Intact && c.Sent > 0, "survivor " + c);
        }

        foreach (var c in clients) await c.DisposeAsync();
        Assert.True(await node.WaitForTreeSizeAsync(baseline, TimeSpan.FromSeconds(15)), "no leaked actors");
        Assert.Equal(0, node.Runtime.Connections.Count);
        GC.Collect();
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"managed memory {memoryBefore / 1024} KiB before, {memoryAfter / 1024} KiB after");
        Assert.True(memoryAfter < memoryBefore + 64L * 1024 * 1024, "memory back within bounds");
    }

    [Fact(Timeout = 60_000)]
    public async Task Chaos_can_draw_services_and_connections_are_left_alone_when_it_draws_only_services()
    {
        await using var node = await TestNode.StartAsync("""
            actornet {
              listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
              listeners.relay { transport = tcp, bind = "127.0.0.1:0", handler = broadcast }
              faults.chaos { seed = 99, interval = 50ms, probability = 1, modes = [reset], targets = [services] }
            }
            """);
        var baseline = await node.TreeSizeAsync();
        var (ready, crashes) = NodeEvents.Get(node.System).Subscribe()
            .Where(e => e is ActorFailed f && f.Path.StartsWith("/user/actornet/services/", StringComparison.Ordinal))
            .Take(5)
            .ToMaterialized(Sink.Seq<NodeEvent>(), Keep.Both)
            .Run(node.System.Materializer());
        await ready.WaitAsync(TimeSpan.FromSeconds(5));
        var clients = new List<CountingClient>();
        for (var i = 0; i < 10; i++) clients.Add(await node.ConnectAsync("echo", "s" + i));

        var started = await node.Control.StartChaosAsync(new ChaosMonkey.Start());
        Assert.True(started.Ok, started.Message);
        var failed = await crashes.WaitAsync(TimeSpan.FromSeconds(20)); // five service crashes, each decided by its supervisor
        var status = (ChaosMonkey.Status)(await node.Control.StopChaosAsync()).Data!;
        output.WriteLine($"seed {status.Seed}: {status.Draws} draws, {status.Kills} crashes: " +
                         string.Join(", ", failed.Cast<ActorFailed>().Select(f => f.Path + " " + f.Directive)));
        Assert.Equal(["services"], status.Targets);
        Assert.All(failed.Cast<ActorFailed>(), f => Assert.Equal("restart", f.Directive));
        foreach (var c in clients) Assert.True(await c.ExchangeAsync(5) && c.Intact, "connections are not drawn: " + c);
        Assert.True(await node.WaitForTreeSizeAsync(baseline + clients.Count * 2, TimeSpan.FromSeconds(10)), "the tree returns to its size");
        foreach (var c in clients) await c.DisposeAsync();
    }
}
