using ActorNet.Config;

namespace ActorNet.Node.Cli;

/// <summary>The outcome of loading a node's configuration: settings, or every error as a printable line.</summary>
/// <param name="Settings">the validated settings; null when <paramref name="Errors"/> is not empty</param>
/// <param name="Errors">one line per problem, <c>FILE: HOCON.PATH: reason</c></param>
public sealed record NodeConfigurationResult(NodeSettings? Settings, IReadOnlyList<string> Errors)
{
    /// <summary>True when the configuration loaded and validated without error.</summary>
    public bool Ok => Settings is not null && Errors.Count == 0;
}

/// <summary>
/// Loads a node configuration the same way for <c>run</c> and <c>check</c>: read the file, layer the
/// <c>--set</c> overrides, parse the settings, then run <see cref="ActorNetNode.Validate"/>.
/// </summary>
public static class NodeConfiguration
{
    /// <summary>Loads and validates <paramref name="path"/> with <paramref name="overrides"/> on top.</summary>
    public static NodeConfigurationResult Load(string path, IReadOnlyList<string> overrides)
    {
        var (config, sourceErrors) = ConfigSource.Load(path, overrides);
        if (sourceErrors.Count > 0 || config is null)
            return Failed(path, sourceErrors.Count > 0 ? sourceErrors : [new ConfigError(path, "could not be loaded")]);

        var loaded = NodeSettingsLoader.Load(config, Hosting.NodeHandlers.Catalog);
        if (!loaded.Ok || loaded.Settings is null)
            return Failed(path, loaded.Errors.Count > 0 ? loaded.Errors : [new ConfigError("actornet", "settings could not be loaded")]);

        var validation = ActorNetNode.Validate(loaded.Settings, Hosting.NodeHandlers.For(loaded.Settings)).ToList();
        if (Admin.AdminTokenFile.RequireTokenOffLoopback(loaded.Settings.AdminOrDefault.WithEnvironment()) is { } noToken) validation.Add(noToken);
        return validation.Count > 0 ? Failed(path, validation) : new NodeConfigurationResult(loaded.Settings, []);
    }

    /// <summary>As <see cref="Load"/>, from HOCON text that came from elsewhere (a file sent to the admin endpoint to
    /// compare); errors name it <paramref name="name"/>.</summary>
    public static NodeConfigurationResult LoadText(string hocon, string name)
    {
        var (config, sourceErrors) = ConfigSource.Parse(hocon);
        if (sourceErrors.Count > 0 || config is null)
            return Failed(name, sourceErrors.Count > 0 ? sourceErrors : [new ConfigError(name, "could not be parsed")]);
        var loaded = NodeSettingsLoader.Load(config, Hosting.NodeHandlers.Catalog);
        if (!loaded.Ok || loaded.Settings is null)
            return Failed(name, loaded.Errors.Count > 0 ? loaded.Errors : [new ConfigError("actornet", "settings could not be loaded")]);
        var validation = ActorNetNode.Validate(loaded.Settings, Hosting.NodeHandlers.For(loaded.Settings)).ToList();
        return validation.Count > 0 ? Failed(name, validation) : new NodeConfigurationResult(loaded.Settings, []);
    }

    /// <summary>
    /// Formats one error as <c>FILE: HOCON.PATH: reason</c>. Errors that already name the file itself
    /// (missing file, syntax error) are not prefixed twice.
    /// </summary>
    public static string Format(string file, ConfigError error) =>
        string.Equals(error.Path, file, StringComparison.Ordinal) || string.IsNullOrEmpty(error.Path)
            ? $"{file}: {error.Reason}"
            : $"{file}: {error.Path}: {error.Reason}";

    private static NodeConfigurationResult Failed(string file, IReadOnlyList<ConfigError> errors) =>
        new(null, errors.Select(e => Format(file, e)).ToArray());
}
