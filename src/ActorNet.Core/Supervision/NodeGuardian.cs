using ActorNet.Admin;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.Handlers;
using ActorNet.Runtime;
using ActorNet.Transport;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Supervision;

/// <summary>
/// /user/actornet: starts the node from its settings — services first, then listeners — and stops it in order.
/// States: Starting (waiting for services) → Running → Stopping. A bad config never gets this far.
/// </summary>
public sealed class NodeGuardian : ReceiveActor
{
    /// <summary>Unbind every listener and close every connection; replies <see cref="NodeStopped"/>.</summary>
    public sealed record StopNode
    {
        public static readonly StopNode Instance = new();
    }

    public sealed record NodeStopped
    {
        public static readonly NodeStopped Instance = new();
    }

    private readonly NodeSettings _settings;
    private readonly IReadOnlyList<(ListenerSettings Listener, ResolvedHandler Handler)> _listeners;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ConnectionIdGenerator _ids = new();
    private IActorRef? _listenerSupervisor;

    public NodeGuardian(NodeSettings settings, IReadOnlyList<(ListenerSettings Listener, ResolvedHandler Handler)> listeners)
    {
        _settings = settings;
        _listeners = listeners;
        Starting();
    }

    protected override void PreStart()
    {
        var definitions = _listeners
            .SelectMany(l => l.Handler.Stream?.Services(l.Listener) ?? l.Handler.Datagram?.Services(l.Listener) ?? [])
            .ToList();
        var faultSettings = _settings.FaultsOrDefault;
        var faults = Context.ActorOf(Props.Create(() => new FaultInjector(faultSettings)), "faults");
        Context.ActorOf(Props.Create(() => new AdminActor(faults, _settings.NodeName)), "admin");
        Context.ActorOf(Props.Create(() => new ServicesSupervisor(definitions)), "services");
        if (_settings.Cluster.Enabled) Context.ActorOf(Props.Create(() => new ClusterMonitor()), "cluster");
        _log.Info("node {Node} starting with {Listeners} listeners", _settings.NodeName, _listeners.Count);
    }

    /// <summary>faults/, admin/, services/ and cluster/ restart on failure (Akka's default decisions), reported as node events.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new ObservedStrategy(NodeEvents.Get(Context.System), Akka.Actor.SupervisorStrategy.DefaultDecider);

    private void Starting()
    {
        Receive<ServicesSupervisor.ServicesReady>(ready =>
        {
            var setups = _listeners
                .Select(l => new ListenerSetup(l.Listener, _settings.Supervision, l.Handler, ready.Services, _ids))
                .ToList();
            _listenerSupervisor = Context.ActorOf(Props.Create(() => new ListenerSupervisor(setups, _settings.Supervision, _settings.Shutdown.DrainTimeout)), "listeners");
            Become(Running);
        });
        Receive<StopNode>(_ => Sender.Tell(NodeStopped.Instance));
        Receive<ListenerSupervisor.GetBindings>(_ =>
            Sender.Tell(new ListenerSupervisor.Bindings(new Dictionary<string, ListenerSupervisor.ListenerBound>())));
    }

    private void Running()
    {
        Receive<ListenerSupervisor.GetBindings>(get => _listenerSupervisor.Forward(get));
        Receive<StopNode>(_ =>
        {
            var requester = Sender;
            _log.Info("node {Node} stopping: unbinding listeners", _settings.NodeName);
            _listenerSupervisor!.Tell(ListenerSupervisor.UnbindAll.Instance);
            Become(() => Stopping(requester));
        });
    }

    private void Stopping(IActorRef requester)
    {
        var waiting = new List<IActorRef> { requester };
        Receive<ListenerSupervisor.AllUnbound>(_ =>
        {
            _log.Info("node {Node} stopped: all listeners unbound", _settings.NodeName);
            foreach (var asker in waiting) asker.Tell(NodeStopped.Instance);
            Become(() => Receive<StopNode>(_ => Sender.Tell(NodeStopped.Instance)));
        });
        Receive<StopNode>(_ => waiting.Add(Sender));
    }
}
