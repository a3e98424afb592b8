using ActorNet.Admin;
using ActorNet.Faults;
using ActorNet.Runtime;
using ActorNet.Testing;
using Xunit;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>Issue 15 item 7: the toxics table and the chaos event log are bounded by config, and a connection's
/// toxics go with it.</summary>
[Collection(ActorNet.IntegrationTests.Support.SerialCollection.Name)]
public sealed class FaultLimitTests
{
    private static Dictionary<string, string> Lag(string target, string value) =>
        new() { ["type"] = "latency", [target] = value, ["latency"] = "1ms" };

    [Fact(Timeout = 30_000)]
    public async Task The_toxics_table_holds_at_most_max_toxics()
    {
        await using var node = await TestNode.StartAsync("""
            actornet {
              listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
              faults.max-toxics = 2
            }
            """);
        Assert.True((await node.AddToxicAsync("t1", Lag("listener", "echo"))).Ok);
        Assert.True((await node.AddToxicAsync("t2", Lag("listener", "echo"))).Ok);
        var third = await node.AddToxicAsync("t3", Lag("listener", "echo"));
        Assert.Equal(AdminOutcome.Conflict, third.Outcome);
        Assert.Contains("max-toxics", third.Message);
        Assert.Equal(2, node.Runtime.Toxics.All.Count);
        Assert.True((await node.Control.RemoveToxicAsync("t1")).Ok);
        Assert.True((await node.AddToxicAsync("t3", Lag("listener", "echo"))).Ok); // room again
    }

    [Fact(Timeout = 30_000)]
    public async Task A_connections_toxics_are_removed_when_it_closes()
    {
        await using var node = await TestNode.StartAsync("""
            actornet.listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
            """);
        var client = await node.ConnectAsync("echo");
        var id = await node.ConnectionIdOfAsync(client);
        Assert.True((await node.AddToxicAsync("mine", Lag("connection", id.ToString(System.Globalization.CultureInfo.InvariantCulture)))).Ok);
        Assert.True((await node.AddToxicAsync("listener-wide", Lag("listener", "echo"))).Ok);
        Assert.True(await client.ExchangeAsync(1, batch: 1));

        await client.DisposeAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (node.Runtime.Toxics.All.Any(t => t.Name == "mine") && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(["listener-wide"], node.Runtime.Toxics.All.Select(t => t.Name));
        Assert.Equal(AdminOutcome.NotFound, (await node.Control.RemoveToxicAsync("mine")).Outcome);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_chaos_event_log_keeps_at_most_max_events()
    {
        await using var node = await TestNode.StartAsync("""
            actornet {
              listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
              faults.chaos { seed = 7, interval = 20ms, probability = 1, modes = [close], max-events = 3 }
            }
            """);
        var clients = new List<CountingClient>();
        for (var i = 0; i < 8; i++) clients.Add(await node.ConnectAsync("echo", "c" + i));
        Assert.True((await node.Control.StartChaosAsync(new ChaosMonkey.Start())).Ok);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        ChaosMonkey.Status status;
        do
        {
            status = (ChaosMonkey.Status)(await node.Control.ChaosStatusAsync()).Data!;
            if (status.Kills >= 6) break;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        await node.Control.StopChaosAsync();

        Assert.True(status.Kills >= 6, $"only {status.Kills} kills");
        Assert.Equal(3, status.Recent.Count);
        Assert.Equal(status.Recent.OrderBy(e => e.Sequence), status.Recent); // oldest first, the latest kept
        Assert.All(status.Recent, e => Assert.Equal(("close", 7), (e.Mode, e.Seed)));
        Assert.All(status.Recent, e => Assert.StartsWith("connection ", e.Target));
        foreach (var c in clients) await c.DisposeAsync();
    }
}
