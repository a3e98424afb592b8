using System.Net;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.Runtime;
using ActorNet.Transport;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Supervision;

/// <summary>
/// Parent of one actor per configured listener (/user/actornet/listeners/&lt;name&gt;). A listener that fails (bind
/// refused, crash) is stopped — which releases its socket — and re-created after an exponential backoff
/// (supervision.bind-backoff min..max, reset once it binds). One listener failing never affects another.
/// </summary>
public sealed class ListenerSupervisor : ReceiveActor, IWithTimers
{
    /// <summary>A listener's socket is bound (told by the listener itself).</summary>
    public sealed record ListenerBound(string Listener, string Transport, EndPoint Endpoint);

    /// <summary>Unbind every listener and close all connections; replies <see cref="AllUnbound"/>.</summary>
    public sealed record UnbindAll
    {
        public static readonly UnbindAll Instance = new();
    }

    public sealed record AllUnbound
    {
        public static readonly AllUnbound Instance = new();
    }

    /// <summary>Asks for the listeners that are bound now; replies <see cref="Bindings"/>.</summary>
    public sealed record GetBindings
    {
        public static readonly GetBindings Instance = new();
    }

    /// <summary>The bound listeners by name (a listener waiting to re-bind is absent).</summary>
    public sealed record Bindings(IReadOnlyDictionary<string, ListenerBound> Bound);

    private sealed record Recreate(string Listener);

    private sealed record UnbindTimeout
    {
        public static readonly UnbindTimeout Instance = new();
    }

    private readonly Dictionary<string, ListenerSetup> _setups;
    private readonly NodeRuntime _runtime = NodeRuntime.Get(Context.System);
    private readonly SupervisionSettings _supervision;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, int> _failures = new();
    private readonly Dictionary<string, IActorRef> _running = new();
    private readonly Dictionary<string, ListenerBound> _bound = new();

    private readonly TimeSpan _drainTimeout;

    /// <param name="drainTimeout">actornet.shutdown.drain-timeout: how long <see cref="UnbindAll"/> lets connections
    /// flush before it reports the listeners unbound regardless</param>
    public ListenerSupervisor(IReadOnlyList<ListenerSetup> setups, SupervisionSettings supervision, TimeSpan? drainTimeout = null)
    {
        _setups = setups.ToDictionary(s => s.Settings.Name);
        _supervision = supervision;
        _drainTimeout = drainTimeout ?? ShutdownSettings.Default.DrainTimeout;
        Running();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        foreach (var name in _setups.Keys) StartListener(name);
    }

    protected override SupervisorStrategy SupervisorStrategy() => new ObservedStrategy(_runtime.Events, Decider.From(ex =>
    {
        var listener = (ex as BindFailedException)?.Listener ?? (ex as InjectedFaultException)?.Target ?? "?";
        _log.Warning("listener {Listener} failed: {Error}", listener, ex is BindFailedException or InjectedFaultException ? ex.Message : ex.ToString());
        return Directive.Stop;
    }), logging: false);

    private void Running()
    {
        Receive<ListenerBound>(bound =>
        {
            _failures.Remove(bound.Listener);
            _bound[bound.Listener] = bound;
            _runtime.SetListener(new ListenerStatus(bound.Listener, bound.Transport, bound.Endpoint));
            // Re-bind where it was: a listener configured with port 0 keeps the port it got (clients can reconnect).
            if (_setups.TryGetValue(bound.Listener, out var setup) && setup.Settings.Port == 0 && bound.Endpoint is IPEndPoint ip)
                _setups[bound.Listener] = setup with { Settings = setup.Settings with { Port = ip.Port } };
        });
        Receive<GetBindings>(_ => Sender.Tell(new Bindings(new Dictionary<string, ListenerBound>(_bound))));
        Receive<Terminated>(t =>
        {
            var name = t.ActorRef.Path.Name;
            _bound.Remove(name);
            if (!_running.Remove(name)) return;
            if (_setups.TryGetValue(name, out var stopped))
                _runtime.SetListener(new ListenerStatus(name, Transport(stopped), null));
            _runtime.Metrics.For(name).BindRetried();
            var failures = _failures[name] = _failures.GetValueOrDefault(name) + 1;
            var delay = Backoff(failures);
            _log.Warning("listener {Listener} stopped; re-creating it in {Delay} (attempt {Attempt})", name, delay, failures);
            Timers.StartSingleTimer("recreate-" + name, new Recreate(name), delay);
        });
        Receive<Recreate>(r => StartListener(r.Listener));
        Receive<UnbindAll>(_ =>
        {
            var requester = Sender;
            Timers.CancelAll();
            foreach (var listener in _running.Values) listener.Tell(ListenerCommands.Unbind.Instance);
            _log.Info("draining: {Connections} connections flush what is queued (up to {DrainTimeout}), then {Listeners} listeners unbind",
                _runtime.Connections.Count, _drainTimeout, _running.Count);
            Timers.StartSingleTimer(UnbindTimeout.Instance, UnbindTimeout.Instance, _drainTimeout);
            Become(() => Unbinding(requester));
            ReplyIfDone(requester);
        });
    }

    private void Unbinding(IActorRef requester)
    {
        Receive<ListenerCommands.Unbound>(u =>
        {
            if (_running.Remove(u.Listener)) ReplyIfDone(requester);
        });
        Receive<Terminated>(t =>
        {
            if (_running.Remove(t.ActorRef.Path.Name)) ReplyIfDone(requester);
        });
        Receive<UnbindTimeout>(_ =>
        {
            _log.Warning("shutdown drain ran out after {DrainTimeout}: {Connections} connections on listeners {Listeners} were still flushing; they are reset with the node",
                _drainTimeout, _runtime.Connections.Count, string.Join(", ", _running.Keys));
            _running.Clear();
            ReplyIfDone(requester);
        });
        Receive<UnbindAll>(_ => ReplyIfDone(Sender));
        ReceiveAny(_ => { });
    }

    private void ReplyIfDone(IActorRef requester)
    {
        if (_running.Count == 0) requester.Tell(AllUnbound.Instance);
    }

    private void StartListener(string name)
    {
        var setup = _setups[name];
        var props = setup.Settings.IsStream
            ? Props.Create(() => new TcpListener(setup))
            : Props.Create(() => new UdpListener(setup));
        _runtime.SetListener(new ListenerStatus(name, Transport(setup), null));
        var child = Context.ActorOf(props, name);
        Context.Watch(child);
        _running[name] = child;
    }

    private static string Transport(ListenerSetup setup) => setup.Settings.Transport.ToString().ToLowerInvariant();

    /// <summary>min · 2^(failures-1), capped at max.</summary>
    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var ms = Math.Min(_supervision.BindBackoffMin.TotalMilliseconds * factor, _supervision.BindBackoffMax.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms);
    }
}
