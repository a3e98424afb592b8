namespace ActorNet.Config;

/// <summary>Parses <c>actornet.supervision</c> and <c>actornet.logging</c>.</summary>
internal static class SupervisionSection
{
    private const string Path = "actornet.supervision";

    public static SupervisionSettings Parse(Akka.Configuration.Config full, Akka.Configuration.Config given, ConfigErrors errors)
    {
        errors.UnknownKeys(given, Path, ["handler-max-restarts", "handler-restart-window", "bind-backoff"]);
        errors.UnknownKeys(given, Path + ".bind-backoff", ["min", "max"]);
        var section = full.GetConfig(Path);
        var maxRestarts = errors.Int(section, Path, "handler-max-restarts") ?? 3;
        var window = errors.Duration(section, Path, "handler-restart-window") ?? TimeSpan.FromSeconds(10);
        var min = errors.Duration(section, Path, "bind-backoff.min") ?? TimeSpan.FromMilliseconds(200);
        var max = errors.Duration(section, Path, "bind-backoff.max") ?? TimeSpan.FromSeconds(10);

        if (maxRestarts < 0) errors.Add(Path + ".handler-max-restarts", $"must be >= 0 (got {maxRestarts})");
        if (window <= TimeSpan.Zero) errors.Add(Path + ".handler-restart-window", $"must be > 0 (got {window})");
        if (min <= TimeSpan.Zero) errors.Add(Path + ".bind-backoff.min", $"must be > 0 (got {min})");
        if (max < min) errors.Add(Path + ".bind-backoff.max", $"must be >= bind-backoff.min ({min}), got {max}");
        TransportSection.Check(full, given, errors);
        return new SupervisionSettings(maxRestarts, window, min, max);
    }
}

/// <summary>Checks <c>actornet.transport</c> (read where it is used: TcpListener, Connection).</summary>
internal static class TransportSection
{
    private const string Path = "actornet.transport";

    public static void Check(Akka.Configuration.Config full, Akka.Configuration.Config given, ConfigErrors errors)
    {
        errors.UnknownKeys(given, Path, ["accept-backlog", "websocket-handshake-timeout"]);
        var section = full.GetConfig(Path);
        if (errors.Int(section, Path, "accept-backlog") is { } backlog && backlog is < 1 or > 65535)
            errors.Add(Path + ".accept-backlog", $"must be from 1 to 65535 (got {backlog})");
        if (errors.Duration(section, Path, "websocket-handshake-timeout") is { } handshake && handshake <= TimeSpan.Zero)
            errors.Add(Path + ".websocket-handshake-timeout", $"must be > 0 (got {handshake})");
    }
}

internal static class LoggingSection
{
    private const string Path = "actornet.logging";

    public static LoggingSettings Parse(Akka.Configuration.Config full, Akka.Configuration.Config given, ConfigErrors errors)
    {
        errors.UnknownKeys(given, Path, ["level", "console", "file", "json"]);
        var section = full.GetConfig(Path);
        var levelText = errors.String(section, Path, "level") ?? "info";
        LogLevelSetting level = LogLevelSetting.Information;
        switch (levelText.ToLowerInvariant())
        {
            case "verbose": level = LogLevelSetting.Verbose; break;
            case "debug": level = LogLevelSetting.Debug; break;
            case "info" or "information": level = LogLevelSetting.Information; break;
            case "warning" or "warn": level = LogLevelSetting.Warning; break;
            case "error": level = LogLevelSetting.Error; break;
            case "fatal": level = LogLevelSetting.Fatal; break;
            default:
                errors.Add(Path + ".level", $"unknown level '{levelText}' (expected verbose, debug, info, warning, error or fatal)");
                break;
        }

        var console = errors.Bool(section, Path, "console") ?? true;
        var file = errors.String(section, Path, "file");
        var json = errors.Bool(section, Path, "json") ?? false;
        return new LoggingSettings(level, console, string.IsNullOrWhiteSpace(file) ? null : file, json);
    }
}
