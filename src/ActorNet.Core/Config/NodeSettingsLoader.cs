namespace ActorNet.Config;

/// <summary>The outcome of loading settings: either Settings (and no errors) or every error found.</summary>
public sealed record LoadResult(NodeSettings? Settings, IReadOnlyList<ConfigError> Errors)
{
    public bool Ok => Settings is not null && Errors.Count == 0;
}

/// <summary>Turns HOCON into <see cref="NodeSettings"/>, reporting every error at once (STUB: to be implemented).</summary>
public static class NodeSettingsLoader
{
    /// <summary>Parses and validates the actornet section of an already merged config (reference defaults are applied here).</summary>
    public static LoadResult Load(Akka.Configuration.Config config) => throw new NotImplementedException();
}

/// <summary>Reads a HOCON file and layers <c>--set key=value</c> overrides on top (STUB: to be implemented).</summary>
public static class ConfigSource
{
    /// <summary>
    /// Loads <paramref name="path"/>, applies each override (highest priority first is the last one given),
    /// and falls back to ActorNet's reference config. Errors: file missing/unreadable, HOCON syntax, malformed override;
    /// each ConfigError's Path is the file path (or "--set") and Reason explains.
    /// </summary>
    public static (Akka.Configuration.Config? Config, IReadOnlyList<ConfigError> Errors) Load(string path, IEnumerable<string> overrides)
        => throw new NotImplementedException();

    /// <summary>Same as Load, from HOCON text instead of a file (tests, ActorNet.Testing).</summary>
    public static (Akka.Configuration.Config? Config, IReadOnlyList<ConfigError> Errors) Parse(string hocon, IEnumerable<string>? overrides = null)
        => throw new NotImplementedException();
}
