using ActorNet.Admin;
using ActorNet.Runtime;
using ActorNet.Transport;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Faults;

/// <summary>
/// /user/actornet/faults/chaos: while running, draws every interval with a seeded <see cref="ChaosPlan"/> among its
/// targets — the open connections (of the chosen listeners, ordered by id), then the actors under
/// /user/actornet/services (ordered by path) — and kills the connection or crashes the service actor drawn. Every
/// action is logged with the seed and its sequence number, so a run can be replayed.
/// </summary>
public sealed class ChaosMonkey : ReceiveActor, IWithTimers
{
    /// <summary>Commands the fault injector forwards here.</summary>
    public abstract record Command;

    /// <summary>Start (or restart) chaos; null fields keep the configured value. Seed 0 = pick one.</summary>
    public sealed record Start(int? Seed = null, TimeSpan? Interval = null, double? Probability = null,
        IReadOnlyList<KillMode>? Modes = null, IReadOnlyList<string>? Listeners = null) : Command
    {
        /// <summary>null = the configured targets.</summary>
        public IReadOnlyList<ChaosTarget>? Targets { get; init; }
    }

    public sealed record Stop : Command
    {
        public static readonly Stop Instance = new();
    }

    public sealed record GetStatus : Command
    {
        public static readonly GetStatus Instance = new();
    }

    /// <summary>Chaos state: the reply's Data to every command.</summary>
    public sealed record Status(bool Running, int Seed, long Draws, long Kills, TimeSpan Interval, double Probability,
        IReadOnlyList<string> Modes, IReadOnlyList<string> Listeners)
    {
        /// <summary>connections and/or services.</summary>
        public IReadOnlyList<string> Targets { get; init; } = ["connections"];

        /// <summary>The latest kills, oldest first; at most <c>chaos.max-events</c> of them.</summary>
        public IReadOnlyList<Event> Recent { get; init; } = [];
    }

    /// <summary>One chaos kill, as GET /chaos lists it. Target: "connection 42" or an actor path.</summary>
    public sealed record Event(int Seed, long Sequence, DateTimeOffset At, string Mode, string Target);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private const string ServicesPath = ActorCrash.Root + "/services";

    private readonly ChaosSettings _configured;
    private readonly NodeRuntime _runtime = NodeRuntime.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ChaosSettings _current;
    private ChaosPlan? _plan;
    private long _kills;
    private readonly Queue<Event> _events = new();

    public ChaosMonkey(ChaosSettings settings)
    {
        _configured = settings;
        _current = settings;
        var guard = new ControlPlaneGuard(Context.System, _log, "chaos");
        // reachable by path too (/user/actornet/faults/chaos): node-local commands only
        Receive<Command>(_ => !ControlPlaneGuard.IsLocal(Sender, Context.System), m => guard.Refuse(m, Sender, Self));
        Receive<Start>(start => Sender.Tell(OnStart(start)));
        Receive<Stop>(_ =>
        {
            if (_plan is not null)
                _log.Warning("chaos stopped: seed {Seed}, {Draws} draws, {Kills} kills", _plan.Seed, _plan.Sequence, _kills);
            Timers.Cancel(Tick.Instance);
            var status = CurrentStatus();
            _plan = null;
            Sender.Tell(AdminResult.Done("chaos stopped", status with { Running = false }));
        });
        Receive<GetStatus>(_ => Sender.Tell(AdminResult.Done(_plan is null ? "chaos off" : "chaos running", CurrentStatus())));
        Receive<Tick>(_ => OnTick());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        if (_configured.Enabled) OnStart(new Start(), validated: true); // listeners were checked by the config loader
    }

    private AdminResult OnStart(Start start, bool validated = false)
    {
        var seed = start.Seed ?? _configured.Seed;
        if (seed == 0) seed = Random.Shared.Next(1, int.MaxValue);
        _current = new ChaosSettings(true, seed,
            start.Interval ?? _configured.Interval,
            start.Probability ?? _configured.Probability,
            start.Modes is { Count: > 0 } modes ? modes : _configured.Modes,
            start.Listeners ?? _configured.Listeners)
        {
            Targets = start.Targets is { Count: > 0 } targets ? targets : _configured.Targets,
        };
        if (_current.Interval <= TimeSpan.Zero) return AdminResult.Bad("interval must be > 0");
        if (_current.Probability is < 0 or > 1) return AdminResult.Bad("probability must be between 0 and 1");
        foreach (var listener in _current.Listeners)
            if (!validated && _runtime.Listeners.All(l => l.Name != listener))
                return AdminResult.NotFound($"no listener named '{listener}'");
        _plan = new ChaosPlan(seed, _current.Probability, _current.Modes);
        _kills = 0;
        _events.Clear();
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _current.Interval);
        _log.Warning("chaos started: seed {Seed}, interval {Interval}, probability {Probability}, modes {Modes}, listeners {Listeners}, targets {Targets}",
            seed, _current.Interval, _current.Probability, string.Join(",", _current.Modes.Select(KillModes.Name)),
            _current.Listeners.Count == 0 ? "*" : string.Join(",", _current.Listeners), string.Join(",", _current.Targets.Select(ChaosTargets.Name)));
        return AdminResult.Done($"chaos started with seed {seed}", CurrentStatus());
    }

    private void OnTick()
    {
        if (_plan is null) return;
        var connections = _current.Targets.Contains(ChaosTarget.Connections)
            ? _runtime.Connections.Snapshot().Where(c => _current.Listeners.Count == 0 || _current.Listeners.Contains(c.Info.Listener)).ToList()
            : [];
        var services = _current.Targets.Contains(ChaosTarget.Services) && ActorCrash.Find(Context.System, ServicesPath) is { } root
            ? ActorCrash.Below(root)
            : [];
        var candidates = connections.Count + services.Count;
        var choice = _plan.Next(candidates);
        if (choice is null)
        {
            _runtime.Events.Publish(new ChaosDrawn(DateTimeOffset.UtcNow, _plan.Seed, _plan.Sequence, null));
            return;
        }

        var by = $"chaos seed {_plan.Seed} #{choice.Sequence}";
        _kills++;
        if (choice.Index < connections.Count)
        {
            var target = connections[choice.Index];
            _log.Warning("chaos seed {Seed} #{Sequence}: {Mode} connection {ConnectionId} on {Listener} ({Index} of {Candidates})",
                new object[] { _plan.Seed, choice.Sequence, KillModes.Name(choice.Mode), target.Info.Id, target.Info.Listener, choice.Index, candidates });
            target.Actor.Tell(new Connection.Kill(choice.Mode, by));
            _runtime.Events.Publish(new ChaosDrawn(DateTimeOffset.UtcNow, _plan.Seed, choice.Sequence, "connection " + target.Info.Id));
            _runtime.Events.Publish(new Killed(DateTimeOffset.UtcNow, "connection " + target.Info.Id, KillModes.Name(choice.Mode), by));
            Remember(KillModes.Name(choice.Mode), "connection " + target.Info.Id);
            return;
        }

        var service = services[choice.Index - connections.Count];
        var path = ActorCrash.PathOf(service);
        _log.Warning("chaos seed {Seed} #{Sequence}: crash {Path} ({Index} of {Candidates})", _plan.Seed, choice.Sequence, path, choice.Index, candidates);
        ActorCrash.Crash(service, new InjectedFaultException($"crashed by {by}: {path}", service.Path.Name));
        _runtime.Events.Publish(new ChaosDrawn(DateTimeOffset.UtcNow, _plan.Seed, choice.Sequence, path));
        _runtime.Events.Publish(new Killed(DateTimeOffset.UtcNow, path, "crash", by));
        Remember("crash", path);
    }

    /// <summary>Keeps the kill for GET /chaos; bounded, so that a long chaos run does not grow the node's memory.</summary>
    private void Remember(string mode, string target)
    {
        _events.Enqueue(new Event(_plan!.Seed, _plan.Sequence, _runtime.Time.GetUtcNow(), mode, target));
        while (_events.Count > _configured.MaxEvents) _events.Dequeue();
    }

    private Status CurrentStatus() => new(_plan is not null, _plan?.Seed ?? _current.Seed, _plan?.Sequence ?? 0, _kills,
        _current.Interval, _current.Probability, _current.Modes.Select(KillModes.Name).ToList(), _current.Listeners)
    {
        Targets = _current.Targets.Select(ChaosTargets.Name).ToList(),
        Recent = _events.ToList(),
    };
}
