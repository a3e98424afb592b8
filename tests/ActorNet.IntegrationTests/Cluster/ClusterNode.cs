using System.Net;
using ActorNet.Config;
using Akka.Actor;
using Akka.Cluster;
using Xunit;
using ActorNet.Node.Hosting;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>One in-process ActorNet node in its own ActorSystem, clustered over loopback.</summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private ClusterNode(ActorSystem system, IActorRef guardian, IReadOnlyDictionary<string, IPEndPoint> bound)
    {
        System = system;
        Guardian = guardian;
        Bound = bound;
    }

    public ActorSystem System { get; }

    public IActorRef Guardian { get; }

    public IReadOnlyDictionary<string, IPEndPoint> Bound { get; }

    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    /// <summary>Starts a node from HOCON (cluster section included) and waits for its listeners.</summary>
    public static async Task<ClusterNode> StartAsync(string hocon)
    {
        var (settings, system) = await CreateAsync(hocon);
        var logs = LogTail.Start(system);
        var guardian = ActorNetNode.Start(system, settings, NodeHandlers.Catalog);
        try
        {
            // generous: on a loaded 2-core CI machine a TLS node's first answer once took more than 15 s
            var bound = await ActorNetNode.WaitForBindingsAsync(guardian, settings, TimeSpan.FromSeconds(40));
            return new ClusterNode(system, guardian, bound.ToDictionary(b => b.Key, b => (IPEndPoint)b.Value));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // the node's own log is not shown by xunit: say why it stopped, with its last warnings and errors
            var reason = CoordinatedShutdown.Get(system).ShutdownReason;
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
            throw new InvalidOperationException(
                $"{settings.NodeName}: {e.Message}; shutdown reason: {reason?.ToString() ?? "none"}; last warnings and errors:\n{logs.Dump()}", e);
        }
    }

    /// <summary>Starts a node that is meant to shut itself down (Akka.Remote 1.5.75 runs CoordinatedShutdown on a
    /// node whose outbound TLS handshake fails: a misconfigured member stops rather than half-works) and returns the
    /// reason its actor system gave, waiting at most <paramref name="timeout"/>.</summary>
    public static async Task<CoordinatedShutdown.Reason?> RunUntilItStopsAsync(string hocon, TimeSpan timeout)
    {
        var (settings, system) = await CreateAsync(hocon);
        var logs = LogTail.Start(system);
        ActorNetNode.Start(system, settings, NodeHandlers.Catalog);
        try
        {
            await system.WhenTerminated.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
            throw new TimeoutException($"{settings.NodeName} was expected to stop by itself within {timeout} and did not; last warnings and errors:\n{logs.Dump()}");
        }

        return CoordinatedShutdown.Get(system).ShutdownReason;
    }

    private static async Task<(NodeSettings Settings, ActorSystem System)> CreateAsync(string hocon)
    {
        var (config, errors) = ConfigSource.Parse(hocon + "\nakka.loglevel = WARNING\nakka.log-dead-letters = off");
        Assert.Empty(errors);
        var loaded = NodeSettingsLoader.Load(config!);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var settings = loaded.Settings!;
        var setup = Akka.Actor.BootstrapSetup.Create().WithConfig(settings.Config);
        // created on a thread of its own: Akka's start-up blocks the calling thread on waits (remoting's listen, the
        // cluster core's Ask, 20 s at most) whose answers need the thread pool this test process shares with every
        // other node in it; held on a pool thread, they can starve each other on a loaded 2-core machine
        var tls = settings.Cluster.Tls.CreateSetup();
        var system = await Task.Factory.StartNew(
            () => tls is not null ? ActorSystem.Create(settings.SystemName, setup.And(tls)) : ActorSystem.Create(settings.SystemName, setup),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return (settings, system);
    }

    /// <summary>The node's last warnings and errors (bounded), for the message of a start-up that failed.</summary>
    private static class LogTail
    {
        private const int Keep = 30;

        public sealed record Handle(System.Collections.Concurrent.ConcurrentQueue<string> Lines)
        {
            public string Dump() => Lines.IsEmpty ? "(none)" : string.Join("\n", Lines);
        }

        public static Handle Start(ActorSystem system)
        {
            var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var tail = system.ActorOf(Props.Create(() => new Collector(lines)), "test-log-tail");
            system.EventStream.Subscribe(tail, typeof(Akka.Event.Warning));
            system.EventStream.Subscribe(tail, typeof(Akka.Event.Error));
            return new Handle(lines);
        }

        private sealed class Collector : ReceiveActor
        {
            public Collector(System.Collections.Concurrent.ConcurrentQueue<string> lines) =>
                Receive<Akka.Event.LogEvent>(e =>
                {
                    lines.Enqueue($"[{e.LogLevel()}] {e.LogSource}: {e.Message}{(e.Cause is { } c ? " (" + c.GetType().Name + ": " + c.Message + ")" : "")}");
                    while (lines.Count > Keep) lines.TryDequeue(out _);
                });
        }
    }

    public static string Config(string nodeName, int remotingPort, int seedPort, string listeners, string tls = "") => $$"""
        actornet {
          node.name = "{{nodeName}}"
          cluster {
            enabled = on
            name = "actornet-test"
            hostname = "127.0.0.1"
            port = {{remotingPort}}
            seed-nodes = ["127.0.0.1:{{seedPort}}"]
            down-after = 2s
            {{tls}}
          }
          listeners { {{listeners}} }
        }
        """;

    /// <summary>Waits (bounded) until this node sees <paramref name="count"/> members Up.</summary>
    public async Task AwaitMembersUpAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Cluster.State.Members.Count(m => m.Status == MemberStatus.Up) != count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Cluster.SelfAddress} sees {string.Join(", ", Cluster.State.Members)}; wanted {count} Up");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits (bounded) until this node's membership has exactly <paramref name="count"/> members (any status):
    /// a lost member is gone once it has been downed and removed.</summary>
    public async Task AwaitMemberCountAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Cluster.State.Members.Count != count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Cluster.SelfAddress} sees {string.Join(", ", Cluster.State.Members)}; wanted {count} members");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Cuts this node off like a SIGKILL would, as far as the others can tell: its Akka.Remote transport is shut down,
    /// so nothing more (no leave, no goodbye) leaves it; they see it unreachable and the split-brain resolver downs it.
    /// The ActorSystem itself is terminated on dispose.
    /// </summary>
    public Task CutOffAsync() => ((Akka.Remote.IRemoteActorRefProvider)((ExtendedActorSystem)System).Provider).Transport.Shutdown();

    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        await System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
