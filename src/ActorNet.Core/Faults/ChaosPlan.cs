namespace ActorNet.Faults;

/// <summary>Settings of chaos mode (<c>actornet.faults.chaos</c>).</summary>
/// <param name="Enabled">start with the node</param>
/// <param name="Seed">seed of the choices; 0 = pick one at start (it is logged)</param>
/// <param name="Interval">time between draws</param>
/// <param name="Probability">chance that a draw kills something</param>
/// <param name="Modes">kill modes to draw from</param>
/// <param name="Listeners">listeners whose connections may be killed; empty = all</param>
public sealed record ChaosSettings(bool Enabled, int Seed, TimeSpan Interval, double Probability, IReadOnlyList<KillMode> Modes, IReadOnlyList<string> Listeners)
{
    public static ChaosSettings Default { get; } =
        new(false, 0, TimeSpan.FromSeconds(1), 0.5, [KillMode.Close, KillMode.Reset, KillMode.Crash], []);

    /// <summary><c>max-events</c>: recent kills kept for GET /chaos.</summary>
    public int MaxEvents { get; init; } = 100;

    /// <summary>What a draw chooses among (<c>targets</c>); default connections only.</summary>
    public IReadOnlyList<ChaosTarget> Targets { get; init; } = [ChaosTarget.Connections];
}

/// <summary>What chaos may hit.</summary>
public enum ChaosTarget
{
    /// <summary>Open connections (of the chosen listeners), killed with one of the modes.</summary>
    Connections,
    /// <summary>Every actor under /user/actornet/services (the chat service and its children, relay topics, custom
    /// services), crashed by path (<see cref="ActorCrash"/>).</summary>
    Services,
}

/// <summary>Parses chaos targets as written in HOCON, JSON and the CLI.</summary>
public static class ChaosTargets
{
    public static bool TryParse(string? text, out ChaosTarget target)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "connections": target = ChaosTarget.Connections; return true;
            case "services": target = ChaosTarget.Services; return true;
            default: target = default; return false;
        }
    }

    public static string Name(ChaosTarget target) => target.ToString().ToLowerInvariant();
}

/// <summary>One chaos action: the draw's sequence number, the index into the candidates (open connections ordered
/// by id) and the kill mode.</summary>
public sealed record ChaosChoice(long Sequence, int Index, KillMode Mode);

/// <summary>
/// The pure, seeded decision maker of chaos mode: every draw advances the sequence number; the same seed and the
/// same candidate counts give the same choices (replay). Single-threaded (owned by the chaos monkey actor).
/// </summary>
public sealed class ChaosPlan
{
    private readonly Random _random;
    private readonly double _probability;
    private readonly IReadOnlyList<KillMode> _modes;

    public ChaosPlan(int seed, double probability, IReadOnlyList<KillMode> modes)
    {
        if (modes.Count == 0) throw new ArgumentException("at least one kill mode", nameof(modes));
        Seed = seed;
        _random = new Random(seed);
        _probability = probability;
        _modes = modes;
    }

    public int Seed { get; }

    /// <summary>Draws made so far.</summary>
    public long Sequence { get; private set; }

    /// <summary>Draws once among <paramref name="candidates"/> connections; null = do nothing this time.</summary>
    public ChaosChoice? Next(int candidates)
    {
        Sequence++;
        var roll = _random.NextDouble();
        if (candidates <= 0 || roll >= _probability) return null;
        var index = _random.Next(candidates);
        var mode = _modes[_random.Next(_modes.Count)];
        return new ChaosChoice(Sequence, index, mode);
    }
}
