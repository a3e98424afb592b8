using ActorNet.Faults;
using ActorNet.Handlers.BuiltIn;
using ActorNet.Runtime;
using ActorNet.Transport;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Admin;

/// <summary>
/// /user/actornet/admin: the control plane behind the admin endpoint and <c>actornet ctl</c>. Validates each
/// command against the node's registries, acts with Tell only, and replies an <see cref="AdminResult"/>. Toxic and
/// chaos commands go to /user/actornet/faults. Only <see cref="GetNodeSummary"/> is cluster-wide (GET /cluster asks
/// every member); every other command is accepted only from this node's own ActorSystem (<see cref="ControlPlaneGuard"/>).
/// </summary>
public sealed class AdminActor : ReceiveActor
{
    /// <summary>Kill connection Id with Mode.</summary>
    public sealed record KillConnection(long Id, KillMode Mode);

    /// <summary>Crash listener Name; its supervisor re-binds it after the backoff.</summary>
    public sealed record KillListener(string Name);

    /// <summary>Drop the outbound link Name (e.g. upstream-42).</summary>
    public sealed record KillLink(string Name);

    /// <summary>Make the actor at Path (under /user/actornet) fail as if it threw (<see cref="ActorCrash"/>).</summary>
    public sealed record CrashActor(string Path);

    /// <summary>Asks this node's name and open connections (GET /cluster asks every member); replies <see cref="NodeSummary"/>.</summary>
    public sealed record GetNodeSummary
    {
        public static readonly GetNodeSummary Instance = new();
    }

    /// <summary>Crosses the network: plain data only.</summary>
    public sealed record NodeSummary(string Node, int Connections);

    /// <summary>The live supervisor tree under /user/actornet; the reply's Data is a <see cref="TreeNode"/>.</summary>
    public sealed record GetTree
    {
        public static readonly GetTree Instance = new();
    }

    private readonly NodeRuntime _runtime = NodeRuntime.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly string _nodeName;

    public AdminActor(IActorRef faults, string nodeName = "", Props? reloader = null)
    {
        var reload = reloader is null ? ActorRefs.Nobody : Context.ActorOf(reloader, "reload");
        Receive<ConfigReloader.Reload>(m =>
        {
            if (reload.IsNobody()) Sender.Tell(AdminResult.Conflict("this node cannot reload its configuration"));
            else reload.Forward(m);
        });
        _nodeName = nodeName.Length > 0 ? nodeName : Context.System.Name;
        var guard = new ControlPlaneGuard(Context.System, _log, "admin");
        // first, so that it sees every command before its handler does
        Receive<object>(m => m is not GetNodeSummary && !ControlPlaneGuard.IsLocal(Sender, Context.System),
            m => guard.Refuse(m, Sender, Self));
        Receive<KillConnection>(kill => Sender.Tell(OnKillConnection(kill)));
        Receive<KillListener>(kill => Sender.Tell(OnKillListener(kill)));
        Receive<KillLink>(kill => Sender.Tell(OnKillLink(kill)));
        Receive<CrashActor>(crash => Sender.Tell(OnCrashActor(crash)));
        Receive<GetNodeSummary>(_ => Sender.Tell(new NodeSummary(_nodeName, _runtime.Connections.Count)));
        Receive<GetTree>(_ =>
        {
            var tree = TreeSnapshot.Take(Context.Parent, _runtime);
            Sender.Tell(AdminResult.Done($"{tree.Count} actors", tree));
        });
        Receive<FaultInjector.AddToxic>(m => faults.Forward(m));
        Receive<FaultInjector.RemoveToxic>(m => faults.Forward(m));
        Receive<FaultInjector.ListToxics>(m => faults.Forward(m));
        Receive<ChaosMonkey.Command>(m => faults.Forward(m));
    }

    private AdminResult OnKillConnection(KillConnection kill)
    {
        if (!_runtime.Connections.TryGet(kill.Id, out var entry))
            return AdminResult.NotFound($"no open connection {kill.Id}");
        _log.Warning("admin: kill connection {ConnectionId} on {Listener} ({Mode})", kill.Id, entry.Info.Listener, KillModes.Name(kill.Mode));
        // the kill is published before it is done: its effects (actor-failed, connection-closed) come after it in the feed
        _runtime.Events.Publish(new Killed(DateTimeOffset.UtcNow, "connection " + kill.Id, KillModes.Name(kill.Mode), "admin"));
        entry.Actor.Tell(new Connection.Kill(kill.Mode, "admin"));
        return AdminResult.Done($"connection {kill.Id} killed ({KillModes.Name(kill.Mode)})");
    }

    private AdminResult OnKillListener(KillListener kill)
    {
        var listener = _runtime.Listeners.FirstOrDefault(l => l.Name == kill.Name);
        if (listener is null) return AdminResult.NotFound($"no listener named '{kill.Name}'");
        if (listener.Endpoint is null) return AdminResult.Conflict($"listener {kill.Name} is not bound (waiting to re-bind)");
        _log.Warning("admin: kill listener {Listener}", kill.Name);
        _runtime.Metrics.For(kill.Name).ListenerKilled();
        _runtime.Events.Publish(new Killed(DateTimeOffset.UtcNow, "listener " + kill.Name, "crash", "admin"));
        Context.ActorSelection(Context.Parent.Path / "listeners" / kill.Name).Tell(new ListenerCommands.Crash("admin"));
        return AdminResult.Done($"listener {kill.Name} killed; it re-binds after the backoff");
    }

    private AdminResult OnCrashActor(CrashActor crash)
    {
        if (ActorCrash.PathProblem(crash.Path) is { } problem) return AdminResult.Bad(problem);
        var path = crash.Path.TrimEnd('/');
        var target = ActorCrash.Find(Context.System, path);
        if (target is null) return AdminResult.NotFound($"no actor at {path} (see GET /tree)");
        _log.Warning("admin: crash {Path}", path);
        _runtime.Events.Publish(new Killed(DateTimeOffset.UtcNow, path, "crash", "admin"));
        ActorCrash.Crash(target, new InjectedFaultException($"crashed by admin: {path}", target.Path.Name));
        return AdminResult.Done($"{path} crashed; its supervisor decides what follows", path);
    }

    private AdminResult OnKillLink(KillLink kill)
    {
        if (!_runtime.Links.TryGet(kill.Name, out var link))
            return AdminResult.NotFound($"no link named '{kill.Name}' (see GET /links)");
        _log.Warning("admin: kill link {Link} to {Target} of connection {ConnectionId}", link.Name, link.Target, link.ConnectionId);
        _runtime.Events.Publish(new Killed(DateTimeOffset.UtcNow, "link " + kill.Name, "close", "admin"));
        link.Actor.Tell(new UpstreamLink.Kill("admin"));
        return AdminResult.Done($"link {kill.Name} killed");
    }
}
