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
    private readonly ChaosRun _run;

    public ChaosMonkey(ChaosSettings settings)
    {
        _configured = settings;
        _run = _runtime.Chaos ??= new ChaosRun(settings);
        var guard = new ControlPlaneGuard(Context.System, _log, "chaos");
        // reachable by path too (/user/actornet/faults/chaos): node-local commands only
        Receive<Command>(_ => !ControlPlaneGuard.IsLocal(Sender, Context.System), m => guard.Refuse(m, Sender, Self));
        Receive<Start>(start => Sender.Tell(OnStart(start)));
        Receive<Stop>(_ =>
        {
            if (_run.Plan is not null)
                _log.Warning("chaos stopped: seed {Seed}, {Draws} draws, {Kills} kills", _run.Plan.Seed, _run.Plan.Sequence, _run.Kills);
            Timers.Cancel(Tick.Instance);
            var status = CurrentStatus();
            _run.Plan = null;
            Sender.Tell(AdminResult.Done("chaos stopped", status with { Running = false }));
        });
        Receive<GetStatus>(_ => Sender.Tell(AdminResult.Done(_run.Plan is null ? "chaos off" : "chaos running", CurrentStatus())));
        Receive<Tick>(_ => OnTick());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        if (_run.Plan is not null)
        {
            // a restart (this actor's or the fault injector's): the run goes on where it was
            Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _run.Current.Interval);
            _log.Warning("chaos resumed after a restart: seed {Seed}, {Draws} draws, {Kills} kills so far", _run.Plan.Seed, _run.Plan.Sequence, _run.Kills);
        }
        else if (_configured.Enabled && !_run.Started)
            OnStart(new Start(), validated: true); // listeners were checked by the config loader
    }

    private AdminResult OnStart(Start start, bool validated = false)
    {
        var seed = start.Seed ?? _configured.Seed;
        if (seed == 0) seed = Random.Shared.Next(1, int.MaxValue);
        _run.Current = new ChaosSettings(true, seed,
            start.Interval ?? _configured.Interval,
            start.Probability ?? _configured.Probability,
            start.Modes is { Count: > 0 } modes ? modes : _configured.Modes,
            start.Listeners ?? _configured.Listeners)
        {
            Targets = start.Targets is { Count: > 0 } targets ? targets : _configured.Targets,
        };
        if (_run.Current.Interval <= TimeSpan.Zero) return AdminResult.Bad("interval must be > 0");
        if (_run.Current.Probability is < 0 or > 1) return AdminResult.Bad("probability must be between 0 and 1");
        foreach (var listener in _run.Current.Listeners)
            if (!validated && _runtime.Listeners.All(l => l.Name != listener))
                return AdminResult.NotFound($"no listener named '{listener}'");
        _run.Plan = new ChaosPlan(seed, _run.Current.Probability, _run.Current.Modes);
        _run.Started = true;
        _run.Kills = 0;
        _run.Events.Clear();
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _run.Current.Interval);
        _log.Warning("chaos started: seed {Seed}, interval {Interval}, probability {Probability}, modes {Modes}, listeners {Listeners}, targets {Targets}",
            seed, _run.Current.Interval, _run.Current.Probability, string.Join(",", _run.Current.Modes.Select(KillModes.Name)),
            _run.Current.Listeners.Count == 0 ? "*" : string.Join(",", _run.Current.Listeners), string.Join(",", _run.Current.Targets.Select(ChaosTargets.Name)));
        return AdminResult.Done($"chaos started with seed {seed}", CurrentStatus());
    }

    private void OnTick()
    {
        if (_run.Plan is null) return;
        var connections = _run.Current.Targets.Contains(ChaosTarget.Connections)
            ? _runtime.Connections.Snapshot().Where(c => _run.Current.Listeners.Count == 0 || _run.Current.Listeners.Contains(c.Info.Listener)).ToList()
            : [];
        var services = _run.Current.Targets.Contains(ChaosTarget.Services) && ActorCrash.Find(Context.System, ServicesPath) is { } root
            ? ActorCrash.Below(root)
            : [];
        var candidates = connections.Count + services.Count;
        var choice = _run.Plan.Next(candidates);
        if (choice is null)
        {
            _runtime.Events.Publish(new ChaosDrawn(DateTimeOffset.UtcNow, _run.Plan.Seed, _run.Plan.Sequence, null));
            return;
        }

        var by = $"chaos seed {_run.Plan.Seed} #{choice.Sequence}";
        _run.Kills++;
        if (choice.Index < connections.Count)
        {
            var target = connections[choice.Index];
            _log.Warning("chaos seed {Seed} #{Sequence}: {Mode} connection {ConnectionId} on {Listener} ({Index} of {Candidates})",
                new object[] { _run.Plan.Seed, choice.Sequence, KillModes.Name(choice.Mode), target.Info.Id, target.Info.Listener, choice.Index, candidates });
            // published before the kill is done: its effects (actor-failed, connection-closed) follow it in the feed
            _runtime.Events.Publish(new ChaosDrawn(DateTimeOffset.UtcNow, _run.Plan.Seed, choice.Sequence, "connection " + target.Info.Id));
            _runtime.Events.Publish(new Killed(DateTimeOffset.UtcNow, "connection " + target.Info.Id, KillModes.Name(choice.Mode), by));
            target.Actor.Tell(new Connection.Kill(choice.Mode, by));
            Remember(KillModes.Name(choice.Mode), "connection " + target.Info.Id);
            return;
        }

        var service = services[choice.Index - connections.Count];
        var path = ActorCrash.PathOf(service);
        _log.Warning("chaos seed {Seed} #{Sequence}: crash {Path} ({Index} of {Candidates})", _run.Plan.Seed, choice.Sequence, path, choice.Index, candidates);
        _runtime.Events.Publish(new ChaosDrawn(DateTimeOffset.UtcNow, _run.Plan.Seed, choice.Sequence, path));
        _runtime.Events.Publish(new Killed(DateTimeOffset.UtcNow, path, "crash", by));
        ActorCrash.Crash(service, new InjectedFaultException($"crashed by {by}: {path}", service.Path.Name));
        Remember("crash", path);
    }

    /// <summary>Keeps the kill for GET /chaos; bounded, so that a long chaos run does not grow the node's memory.</summary>
    private void Remember(string mode, string target)
    {
        _run.Events.Enqueue(new Event(_run.Plan!.Seed, _run.Plan.Sequence, _runtime.Time.GetUtcNow(), mode, target));
        while (_run.Events.Count > _configured.MaxEvents) _run.Events.Dequeue();
    }

    private Status CurrentStatus() => new(_run.Plan is not null, _run.Plan?.Seed ?? _run.Current.Seed, _run.Plan?.Sequence ?? 0, _run.Kills,
        _run.Current.Interval, _run.Current.Probability, _run.Current.Modes.Select(KillModes.Name).ToList(), _run.Current.Listeners)
    {
        Targets = _run.Current.Targets.Select(ChaosTargets.Name).ToList(),
        Recent = _run.Events.ToList(),
    };
}

/// <summary>A chaos run's state; owned and written by <see cref="ChaosMonkey"/> only, kept in the node runtime so it
/// outlives a restart of the monkey (see <see cref="Runtime.NodeRuntime.Chaos"/>).</summary>
internal sealed class ChaosRun(ChaosSettings settings)
{
    public ChaosSettings Current { get; set; } = settings;
    public ChaosPlan? Plan { get; set; }
    public long Kills { get; set; }
    public Queue<ChaosMonkey.Event> Events { get; } = new();

    /// <summary>A run was started once (by config or command): a restart must not start the configured one again
    /// after an operator stopped it.</summary>
    public bool Started { get; set; }
}
