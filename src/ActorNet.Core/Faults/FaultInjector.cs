using ActorNet.Admin;
using ActorNet.Runtime;
using ActorNet.Transport;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Faults;

/// <summary>
/// /user/actornet/faults: owns the node's toxics (kept in <see cref="NodeRuntime.Toxics"/>, which connections read)
/// and the chaos monkey child (/user/actornet/faults/chaos). Every change is told to the connections it touches
/// (<see cref="Connection.ToxicsChanged"/>). Replies <see cref="AdminResult"/> to every command.
/// </summary>
public sealed class FaultInjector : ReceiveActor
{
    /// <summary>Add a toxic (names are unique).</summary>
    public sealed record AddToxic(ToxicSpec Toxic);

    /// <summary>Remove the toxic called Name.</summary>
    public sealed record RemoveToxic(string Name);

    /// <summary>List the toxics; the reply's Data is an IReadOnlyList&lt;ToxicSpec&gt;.</summary>
    public sealed record ListToxics
    {
        public static readonly ListToxics Instance = new();
    }

    /// <summary>A reload changed actornet.faults: the toxics the old file configured are replaced by the new file's
    /// (toxics added through ctl stay), and chaos is restarted with the new chaos settings (or stopped).</summary>
    public sealed record ApplySettings(FaultSettings Settings);

    private FaultSettings _settings;
    private readonly NodeRuntime _runtime = NodeRuntime.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _chaos = ActorRefs.Nobody;

    public FaultInjector(FaultSettings settings)
    {
        _settings = _runtime.Faults ?? settings; // after a restart: the settings in force (a reload's), not the first

        var guard = new ControlPlaneGuard(Context.System, _log, "faults");
        // reachable by path too (/user/actornet/faults): node-local commands only, like the admin actor
        Receive<object>(m => m is (AddToxic or RemoveToxic or ListToxics or ChaosMonkey.Command) && !ControlPlaneGuard.IsLocal(Sender, Context.System),
            m => guard.Refuse(m, Sender, Self));
        Receive<AddToxic>(add => Sender.Tell(Add(add.Toxic)));
        Receive<RemoveToxic>(remove => Sender.Tell(Remove(remove.Name)));
        Receive<ListToxics>(_ => Sender.Tell(AdminResult.Done($"{_runtime.Toxics.All.Count} toxic(s)", _runtime.Toxics.All)));
        Receive<ChaosMonkey.Command>(command => _chaos.Forward(command));
        Receive<ApplySettings>(apply => Apply(apply.Settings));
        Receive<AdminResult>(_ => { }); // the chaos monkey's replies to a reload's stop/start
    }

    private void Apply(FaultSettings next)
    {
        foreach (var old in _settings.Toxics)
            if (_runtime.Toxics.Remove(old.Name) is { } removed)
                Notify(removed);
        _runtime.ToxicSeed = next.Seed;
        foreach (var toxic in next.Toxics)
            if (_runtime.Toxics.TryAdd(toxic))
            {
                _log.Info("reload: toxic {Toxic} ({Type}, {Direction}) active on {Target}", toxic.Name, ToxicParser.KindName(toxic.Kind), toxic.Direction, Target(toxic));
                Notify(toxic);
            }

        if (!SameChaos(next.Chaos, _settings.Chaos))
        {
            _chaos.Tell(ChaosMonkey.Stop.Instance);
            var c = next.Chaos;
            if (c.Enabled) _chaos.Tell(new ChaosMonkey.Start(c.Seed, c.Interval, c.Probability, c.Modes, c.Listeners.Count > 0 ? c.Listeners : null));
        }

        _settings = next;
        _runtime.Faults = next;
    }

    /// <summary>The chaos monkey restarts on failure and resumes its run (kept in the node runtime), reported as a
    /// node event.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new Supervision.ObservedStrategy(_runtime.Events, Akka.Actor.SupervisorStrategy.DefaultDecider);

    protected override void PreStart()
    {
        _runtime.ToxicSeed = _settings.Seed;
        _runtime.Toxics.Limit = _settings.MaxToxics;
        // The toxics table lives in the node runtime: a restart of this actor finds it as it was (a toxic an
        // operator removed stays removed), so the configured ones are added at the first start only.
        var first = _runtime.Faults is null;
        _runtime.Faults = _settings;
        if (first)
            foreach (var toxic in _settings.Toxics)
                if (_runtime.Toxics.TryAdd(toxic))
                    _log.Info("toxic {Toxic} ({Type}, {Direction}) active on {Target}", toxic.Name, ToxicParser.KindName(toxic.Kind), toxic.Direction, Target(toxic));
        _chaos = Context.ActorOf(Props.Create(() => new ChaosMonkey(_settings.Chaos)), "chaos");
    }

    private AdminResult Add(ToxicSpec toxic)
    {
        if (toxic.Listener is { } listener && _runtime.Listeners.All(l => l.Name != listener))
            return AdminResult.NotFound($"no listener named '{listener}'");
        if (toxic.ConnectionId is { } id && !_runtime.Connections.TryGet(id, out _))
            return AdminResult.NotFound($"no open connection {id}");
        switch (_runtime.Toxics.Add(toxic))
        {
            case ToxicAddResult.NameTaken:
                return AdminResult.Conflict($"a toxic named '{toxic.Name}' exists; remove it first");
            case ToxicAddResult.Full:
                return AdminResult.Conflict($"{_runtime.Toxics.All.Count} toxics are active, the most max-toxics allows; remove one first");
        }

        _log.Warning("toxic {Toxic} ({Type}, {Direction}) added on {Target}", toxic.Name, ToxicParser.KindName(toxic.Kind), toxic.Direction, Target(toxic));
        _runtime.Events.Publish(new ToxicChanged(DateTimeOffset.UtcNow, toxic.Name, ToxicParser.KindName(toxic.Kind), Target(toxic), Added: true));
        Notify(toxic);
        return AdminResult.Done($"toxic {toxic.Name} added", toxic);
    }

    private AdminResult Remove(string name)
    {
        var toxic = _runtime.Toxics.Remove(name);
        if (toxic is null) return AdminResult.NotFound($"no toxic named '{name}'");
        _log.Warning("toxic {Toxic} removed from {Target}", toxic.Name, Target(toxic));
        _runtime.Events.Publish(new ToxicChanged(DateTimeOffset.UtcNow, toxic.Name, ToxicParser.KindName(toxic.Kind), Target(toxic), Added: false));
        Notify(toxic);
        return AdminResult.Done($"toxic {name} removed", toxic);
    }

    private void Notify(ToxicSpec toxic)
    {
        foreach (var connection in _runtime.Connections.Snapshot())
            if (toxic.Targets(connection.Info.Listener, connection.Info.Id))
                connection.Actor.Tell(Connection.ToxicsChanged.Instance);
    }

    private static bool SameChaos(ChaosSettings a, ChaosSettings b) =>
        a.Enabled == b.Enabled && a.Seed == b.Seed && a.Interval == b.Interval && a.Probability.Equals(b.Probability)
        && a.Modes.SequenceEqual(b.Modes) && a.Listeners.SequenceEqual(b.Listeners);

    private static string Target(ToxicSpec toxic) =>
        toxic.ConnectionId is { } id ? "connection " + id : "listener " + toxic.Listener;
}
