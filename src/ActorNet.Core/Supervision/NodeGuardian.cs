using ActorNet.Admin;
using ActorNet.Config;
using ActorNet.Config.Reload;
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

    /// <summary>From the reloader: apply a validated reload (Plan computed against the running settings).
    /// Replies <see cref="ReloadApplied"/> once the listeners and faults were told.</summary>
    public sealed record ApplyReload(NodeSettings Settings, IReadOnlyList<(ListenerSettings Listener, ResolvedHandler Handler)> Listeners, ReloadPlan Plan);

    public sealed record ReloadApplied(ReloadPlan Plan);

    private NodeSettings _settings;
    private IReadOnlyList<(ListenerSettings Listener, ResolvedHandler Handler)> _listeners;
    private readonly HandlerCatalog _catalog;
    private readonly ConfigReloadSource? _reload;
    private IActorRef _services = ActorRefs.Nobody;
    private IActorRef _faults = ActorRefs.Nobody;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ConnectionIdGenerator _ids = new();
    private IActorRef? _listenerSupervisor;

    public NodeGuardian(NodeSettings settings, IReadOnlyList<(ListenerSettings Listener, ResolvedHandler Handler)> listeners,
        HandlerCatalog? catalog = null, ConfigReloadSource? reload = null)
    {
        _settings = settings;
        _listeners = listeners;
        _catalog = catalog ?? HandlerCatalog.Default;
        _reload = reload;
        Starting();
    }

    protected override void PreStart()
    {
        var definitions = Definitions(_listeners);
        var faultSettings = _settings.FaultsOrDefault;
        var faults = _faults = Context.ActorOf(Props.Create(() => new FaultInjector(faultSettings)), "faults");
        var (settings, reload, catalog, self) = (_settings, _reload, _catalog, Self);
        var reloader = Props.Create(() => new ConfigReloader(settings, reload, catalog, self));
        Context.ActorOf(Props.Create(() => new AdminActor(faults, settings.NodeName, reloader)), "admin");
        _services = Context.ActorOf(Props.Create(() => new ServicesSupervisor(definitions)), "services");
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

    private static List<ServiceDefinition> Definitions(IEnumerable<(ListenerSettings Listener, ResolvedHandler Handler)> listeners) =>
        listeners.SelectMany(l => l.Handler.Stream?.Services(l.Listener) ?? l.Handler.Datagram?.Services(l.Listener) ?? []).ToList();

    private void Running()
    {
        Receive<ListenerSupervisor.GetBindings>(get => _listenerSupervisor.Forward(get));
        Receive<ListenerSupervisor.Reconfigured>(_ => { });
        Receive<ApplyReload>(apply =>
        {
            // Services first (a new broadcast listener needs its topic), then listeners, as at start.
            _services.Tell(new ServicesSupervisor.EnsureServices(Definitions(apply.Listeners)));
            var requester = Sender;
            Become(() => Reloading(apply, requester));
        });
        Receive<StopNode>(_ =>
        {
            var requester = Sender;
            _log.Info("node {Node} stopping: unbinding listeners", _settings.NodeName);
            _listenerSupervisor!.Tell(ListenerSupervisor.UnbindAll.Instance);
            Become(() => Stopping(requester));
        });
    }

    /// <summary>Waiting for the services a reload needs; then the listeners and faults are told and Running resumes.</summary>
    private void Reloading(ApplyReload apply, IActorRef requester)
    {
        Receive<ListenerSupervisor.GetBindings>(get => _listenerSupervisor.Forward(get));
        Receive<ServicesSupervisor.ServicesReady>(ready =>
        {
            var setups = apply.Listeners
                .Select(l => new ListenerSetup(l.Listener, _settings.Supervision, l.Handler, ready.Services, _ids))
                .ToList();
            _listenerSupervisor!.Tell(new ListenerSupervisor.Reconfigure(setups, apply.Plan));
            if (apply.Plan.Sections.Contains("actornet.faults"))
                _faults.Tell(new FaultInjector.ApplySettings(apply.Settings.FaultsOrDefault));
            _settings = apply.Settings;
            _listeners = apply.Listeners;
        });
        // The reply waits for the listeners: a client connecting after `ctl reload` returns gets the new settings.
        Receive<ListenerSupervisor.Reconfigured>(_ =>
        {
            requester.Tell(new ReloadApplied(apply.Plan));
            Become(Running);
        });
        Receive<StopNode>(_ =>
        {
            var stopper = Sender;
            _log.Info("node {Node} stopping during a reload: unbinding listeners", _settings.NodeName);
            _listenerSupervisor!.Tell(ListenerSupervisor.UnbindAll.Instance);
            Become(() => Stopping(stopper));
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
