namespace ActorNet.Faults;

/// <summary><c>actornet.faults</c>: toxics active from the start, chaos mode, the toxics' random seed.</summary>
public sealed record FaultSettings(IReadOnlyList<ToxicSpec> Toxics, ChaosSettings Chaos, int Seed)
{
    /// <summary><c>max-toxics</c>: toxics active at once; every table has a limit.</summary>
    public int MaxToxics { get; init; } = 100;

    public static FaultSettings Default { get; } = new([], ChaosSettings.Default, 1);
}
