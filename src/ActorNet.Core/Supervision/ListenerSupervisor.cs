using System.Net;
using ActorNet.Config;
using ActorNet.Config.Reload;
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

    /// <summary>A reload: apply <paramref name="Plan"/> with the new <paramref name="Setups"/> (every listener of the new
    /// configuration). Replies <see cref="Reconfigured"/> once every listener changed in place has taken its new setup (so a
    /// client that connects after the reply gets the new settings); removed and re-bound listeners drain in the background.</summary>
    public sealed record Reconfigure(IReadOnlyList<ListenerSetup> Setups, ReloadPlan Plan);

    public sealed record Reconfigured
    {
        public static readonly Reconfigured Instance = new();
    }

    private sealed record Recreate(string Listener);

    /// <summary>A listener a reload removed or re-binds, while it drains: Replacement starts once it is gone.</summary>
    private sealed record Retiring(string Name, ListenerSetup? Replacement);

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
    private readonly Dictionary<IActorRef, Retiring> _retiring = new();

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
        // A bind that failed or a kill-listener releases the port and is re-created after a backoff. Anything else
        // (a bug, a crash by path) resumes the listener: its bound socket and connection table are still true, and a
        // restart would restart every connection below it (Akka restarts the surviving children of a restarted
        // actor), dropping their sessions. Resumed, no client notices.
        if (ex is BindFailedException or ListenerResetException)
        {
            _log.Warning("listener {Listener} failed: {Error}", listener, ex.Message);
            return Directive.Stop;
        }

        _log.Warning(ex is InjectedFaultException ? null : ex, "listener {Listener} failed: {Error}; resumed (its socket and connections are kept)", listener, ex.Message);
        return Directive.Resume;
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
        Receive<Reconfigure>(r =>
        {
            var pending = new PendingReconfigure(Sender);
            _pending.Add(pending);
            Apply(r, pending);
            SettleReconfigures(null);
        });
        Receive<ListenerCommands.SetupUpdated>(_ => SettleReconfigures(Sender));
        Receive<ListenerCommands.Unbound>(_ => { }); // a retiring listener; its Terminated follows
        Receive<Terminated>(t => _retiring.ContainsKey(t.ActorRef), t => Retired(t.ActorRef));
        Receive<Terminated>(t =>
        {
            SettleReconfigures(t.ActorRef); // a listener that died no longer owes its ack
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

    /// <summary>A reload waiting for the in-place listeners it told to acknowledge their new setup.</summary>
    private sealed class PendingReconfigure(IActorRef replyTo)
    {
        public IActorRef ReplyTo { get; } = replyTo;
        public HashSet<IActorRef> Waiting { get; } = new();
    }

    private readonly List<PendingReconfigure> _pending = new();

    /// <summary><paramref name="acked"/> (a listener) took its setup or died; reply to every reload owed nothing more.</summary>
    private void SettleReconfigures(IActorRef? acked)
    {
        foreach (var pending in _pending.ToList())
        {
            if (acked is not null) pending.Waiting.Remove(acked);
            if (pending.Waiting.Count > 0) continue;
            pending.ReplyTo.Tell(Reconfigured.Instance);
            _pending.Remove(pending);
        }
    }

    private void Apply(Reconfigure reconfigure, PendingReconfigure pending)
    {
        var next = reconfigure.Setups.ToDictionary(s => s.Settings.Name, StringComparer.Ordinal);
        var planned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listener in reconfigure.Plan.Listeners)
        {
            planned.Add(listener.Name);
            _log.Info("reload: {Change}", listener.ToString());
            switch (listener.Change)
            {
                case ListenerChange.Added:
                    _setups[listener.Name] = next[listener.Name];
                    StartListener(listener.Name);
                    break;
                case ListenerChange.Removed:
                    Retire(listener.Name, null);
                    break;
                case ListenerChange.Rebound:
                    Retire(listener.Name, next[listener.Name]);
                    break;
                case ListenerChange.InPlace:
                    Update(next[listener.Name], pending);
                    break;
            }
        }

        // Handler settings (actornet.chat) changed: unchanged listeners take the re-resolved handler for new clients.
        if (reconfigure.Plan.Sections.Count > 0)
            foreach (var setup in next.Values.Where(s => !planned.Contains(s.Settings.Name) && s.Settings.IsStream))
                Update(setup, pending);
    }

    private void Update(ListenerSetup setup, PendingReconfigure pending)
    {
        var name = setup.Settings.Name;
        // Port 0 in the file: keep the port this listener got, as a re-bind after a crash does.
        if (setup.Settings.Port == 0 && _setups.TryGetValue(name, out var current))
            setup = setup with { Settings = setup.Settings with { Port = current.Settings.Port } };
        _setups[name] = setup;
        if (!_running.TryGetValue(name, out var child)) return;
        child.Tell(new ListenerCommands.UpdateSetup(setup));
        if (setup.Settings.IsStream) pending.Waiting.Add(child); // a TcpListener acks (SetupUpdated); UDP takes none
    }

    /// <summary>Drain and unbind a listener; start <paramref name="replacement"/> under the same name once it is gone.</summary>
    private void Retire(string name, ListenerSetup? replacement)
    {
        Timers.Cancel("recreate-" + name);
        _failures.Remove(name);
        if (replacement is null) _setups.Remove(name);
        else _setups[name] = replacement;
        if (_running.Remove(name, out var child))
        {
            _retiring[child] = new Retiring(name, replacement);
            child.Tell(ListenerCommands.Unbind.Instance);
        }
        else if (replacement is not null) StartListener(name); // it was waiting to re-bind: start the new one now
        else _runtime.RemoveListener(name);
    }

    private void Retired(IActorRef child)
    {
        _retiring.Remove(child, out var retired);
        _bound.Remove(retired!.Name);
        if (retired.Replacement is not null)
        {
            StartListener(retired.Name);
            return;
        }

        _runtime.RemoveListener(retired.Name);
        _log.Info("listener {Listener} removed by a reload", retired.Name);
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
