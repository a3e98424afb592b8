using ActorNet.Faults;
using ActorNet.Testing;
using Xunit;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>Issue 13: the fault injector and the chaos monkey can be crashed like any service without changing what
/// they are doing: the chaos run and the toxics table live in the node runtime and are picked up again.</summary>
[Collection(ActorNet.IntegrationTests.Support.SerialCollection.Name)]
public sealed class FaultsCrashTests
{
    [Theory(Timeout = 60_000)]
    [InlineData("/user/actornet/faults")]
    [InlineData("/user/actornet/faults/chaos")]
    public async Task A_crash_keeps_the_chaos_run_and_the_toxics_as_they_were(string path)
    {
        await using var node = await TestNode.StartAsync("""
            actornet {
              listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
              faults.toxics.lag { listener = echo, type = latency, latency = 1ms }
              faults.toxics.thin { listener = echo, type = bandwidth, rate = 1024 }
            }
            """);
        Assert.True((await node.Control.RemoveToxicAsync("thin")).Ok); // an operator's change since the start
        // probability 0: draws, never kills, so the run's progress is visible without touching connections
        Assert.True((await node.Control.StartChaosAsync(new ChaosMonkey.Start(Seed: 4242, Interval: TimeSpan.FromMilliseconds(20), Probability: 0))).Ok);
        var before = await DrawsAsync(node, atLeast: 3);

        Assert.True((await node.Control.CrashAsync(path)).Ok);

        var after = await DrawsAsync(node, atLeast: before.Draws + 3); // the run goes on, numbered on from where it was
        Assert.True(after.Running);
        Assert.Equal(4242, after.Seed);
        Assert.Equal(["lag"], node.Runtime.Toxics.All.Select(t => t.Name)); // "thin" stays removed
        Assert.True((await node.Control.StopChaosAsync()).Ok);
        Assert.True((await node.Control.CrashAsync(path)).Ok);
        await Task.Delay(200); // a stopped run must stay stopped after a restart (nothing to await: it is an absence)
        Assert.False(((ChaosMonkey.Status)(await node.Control.ChaosStatusAsync()).Data!).Running);
    }

    private static async Task<ChaosMonkey.Status> DrawsAsync(TestNode node, long atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var result = await node.Control.ChaosStatusAsync();
            if (result.Data is ChaosMonkey.Status status && status.Draws >= atLeast) return status;
            Assert.True(DateTime.UtcNow < deadline, $"chaos did not reach {atLeast} draws");
            await Task.Delay(20);
        }
    }
}
