using ActorNet.Admin;
using ActorNet.Faults;
using ActorNet.Runtime;
using ActorNet.IntegrationTests.Support;
using Akka.Actor;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>
/// Issue 15 item 4: someone who can reach a node's Akka.Remote port (here: a second ActorSystem on 127.0.0.1) sends
/// the control-plane actors commands by path. Node-local commands are refused (403, nothing happens); the
/// cluster-wide GetNodeSummary still answers; the node itself keeps full control.
/// </summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class ControlPlaneRemoteTests
{
    private const string Echo = """echo { bind = "127.0.0.1:0", handler = echo }""";

    [Fact(Timeout = 90_000)]
    public async Task Commands_from_a_remote_system_are_refused_and_local_ones_still_work()
    {
        var port = FreePort.Next();
        await using var node = await ClusterNode.StartAsync(ClusterNode.Config("node-a", port, port, Echo));
        using var attacker = ActorSystem.Create("attacker", """
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            akka.loglevel = WARNING
            akka.log-dead-letters = off
            """);
        await using var client = await LineClient.ConnectAsync(node.Bound["echo"]);
        await client.SendLineAsync("hi");
        Assert.Equal("hi", await client.ReadLineAsync());
        var id = NodeRuntime.Get(node.System).Connections.Snapshot().Single().Info.Id;

        var root = $"akka.tcp://actornet-test@127.0.0.1:{port}/user/{ActorNetNode.GuardianName}";
        var timeout = TimeSpan.FromSeconds(15);
        async Task<AdminResult> AskRemote(string path, object command) =>
            await attacker.ActorSelection($"{root}/{path}").Ask<AdminResult>(command, timeout);

        var kill = await AskRemote("admin", new AdminActor.KillConnection(id, KillMode.Reset));
        Assert.Equal(AdminOutcome.Forbidden, kill.Outcome);
        Assert.Contains("only from the node itself", kill.Message);
        Assert.Equal(AdminOutcome.Forbidden, (await AskRemote("admin", new AdminActor.KillListener("echo"))).Outcome);
        Assert.Equal(AdminOutcome.Forbidden, (await AskRemote("admin", new AdminActor.CrashActor($"/user/{ActorNetNode.GuardianName}/listeners/echo"))).Outcome);
        Assert.Equal(AdminOutcome.Forbidden, (await AskRemote("admin", new ChaosMonkey.Start(Seed: 7))).Outcome);
        // the fault injector and the chaos monkey are reachable by path too: same answer
        Assert.Equal(AdminOutcome.Forbidden, (await AskRemote("faults", new ChaosMonkey.Start(Seed: 7))).Outcome);
        Assert.Equal(AdminOutcome.Forbidden, (await AskRemote("faults/chaos", new ChaosMonkey.Start(Seed: 7))).Outcome);

        // a Tell without a sender arrives as if from the local dead-letters actor: refused as well
        attacker.ActorSelection($"{root}/admin").Tell(new AdminActor.KillConnection(id, KillMode.Close), ActorRefs.NoSender);
        attacker.ActorSelection($"{root}/faults/chaos").Tell(new ChaosMonkey.Start(Seed: 7, Interval: TimeSpan.FromMilliseconds(10), Probability: 1), ActorRefs.NoSender);

        // the one cluster-wide command answers (GET /cluster asks every member)
        var summary = await attacker.ActorSelection($"{root}/admin").Ask<AdminActor.NodeSummary>(AdminActor.GetNodeSummary.Instance, timeout);
        Assert.Equal(("node-a", 1), (summary.Node, summary.Connections));

        // nothing happened: the connection still echoes, chaos is off
        await client.SendLineAsync("still here");
        Assert.Equal("still here", await client.ReadLineAsync());
        var control = new NodeControl(node.System);
        var chaos = await control.ChaosStatusAsync();
        Assert.False(((ChaosMonkey.Status)chaos.Data!).Running);
        Assert.True(NodeRuntime.Get(node.System).Connections.TryGet(id, out _));

        // the node itself (admin endpoint, ctl) is still in control
        Assert.True((await control.KillConnectionAsync(id, KillMode.Close)).Ok);
        Assert.True(await client.WaitForCloseAsync());
    }
}
