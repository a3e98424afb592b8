using System.Text.RegularExpressions;

namespace ActorNet.Config;

/// <summary>The outcome of loading settings: either Settings (and no errors) or every error found.</summary>
public sealed record LoadResult(NodeSettings? Settings, IReadOnlyList<ConfigError> Errors)
{
    public bool Ok => Settings is not null && Errors.Count == 0;
}

/// <summary>Turns HOCON into <see cref="NodeSettings"/>, reporting every error at once.</summary>
public static partial class NodeSettingsLoader
{
    /// <summary>The handler names built into ActorNet; anything else must be an assembly-qualified type name.</summary>
    public static readonly IReadOnlySet<string> BuiltInHandlers =
        new HashSet<string>(["echo", "broadcast", "forward", "udp-relay", "irc"], StringComparer.Ordinal);

    private static readonly IReadOnlySet<string> RootKeys = Set("node", "listener-defaults", "listeners", "supervision", "logging");
    private static readonly IReadOnlySet<string> NodeKeys = Set("name");
    private static readonly IReadOnlySet<string> SupervisionKeys = Set("handler-max-restarts", "handler-restart-window", "bind-backoff");
    private static readonly IReadOnlySet<string> BackoffKeys = Set("min", "max");
    private static readonly IReadOnlySet<string> LoggingKeys = Set("level", "console", "file", "json");

    private static readonly Dictionary<string, LogLevelSetting> Levels = new()
    {
        ["verbose"] = LogLevelSetting.Verbose, ["debug"] = LogLevelSetting.Debug, ["info"] = LogLevelSetting.Information,
        ["information"] = LogLevelSetting.Information, ["warning"] = LogLevelSetting.Warning,
        ["error"] = LogLevelSetting.Error, ["fatal"] = LogLevelSetting.Fatal,
    };

    /// <summary>
    /// Parses and validates the actornet section of an already merged config (reference defaults are applied here).
    /// <paramref name="builtInHandlers"/>: handler names accepted without a type name (default <see cref="BuiltInHandlers"/>).
    /// Never throws for bad content: every problem is a <see cref="ConfigError"/> with its HOCON path.
    /// </summary>
    public static LoadResult Load(Akka.Configuration.Config config, IReadOnlySet<string>? builtInHandlers = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var handlers = builtInHandlers ?? BuiltInHandlers;
        var errors = new List<ConfigError>();
        var merged = ReferenceEquals(config, ReferenceConfig.Config) ? config : config.WithFallback(ReferenceConfig.Config);

        var root = new ConfigReader(merged, key => key, errors).Object("actornet");
        if (root is null) return Fail(errors);
        var actornet = ConfigReader.At(root, "actornet", errors);
        actornet.RejectUnknownKeys(actornet.Keys, RootKeys);

        var nodeName = ReadNodeName(actornet, errors);
        var listeners = ReadListeners(actornet, handlers, errors);
        var supervision = ReadSupervision(actornet, errors);
        var logging = ReadLogging(actornet, errors);

        if (errors.Count > 0) return Fail(errors);
        return new LoadResult(new NodeSettings(nodeName!, listeners, supervision!, logging!, config), []);
    }

    private static LoadResult Fail(List<ConfigError> errors) => new(null, errors.Distinct().ToList());

    private static string? ReadNodeName(ConfigReader actornet, List<ConfigError> errors)
    {
        var node = actornet.Object("node");
        if (node is null) return null;
        var r = ConfigReader.At(node, "actornet.node", errors);
        r.RejectUnknownKeys(r.Keys, NodeKeys);
        var name = r.String("name");
        if (name is null) return null;
        if (name.Length == 0) r.Error("name", "must not be empty");
        else if (!NamePattern().IsMatch(name)) r.Error("name", $"'{name}' may only contain letters, digits, '_' and '-'");
        else return name;
        return null;
    }

    private static List<ListenerSettings> ReadListeners(ConfigReader actornet, IReadOnlySet<string> handlers, List<ConfigError> errors)
    {
        var result = new List<ListenerSettings>();
        var defaults = actornet.Object("listener-defaults");
        var block = actornet.Object("listeners");
        if (defaults is not null)
        {
            var d = ConfigReader.At(defaults, ListenerSettingsParser.DefaultsPath, errors);
            d.RejectUnknownKeys(d.Keys, ListenerSettingsParser.KnownKeys);
        }
        if (defaults is null || block is null) return result;

        var listeners = ConfigReader.At(block, "actornet.listeners", errors);
        var binds = new Dictionary<(TransportKind, string, int), string>();
        foreach (var name in listeners.Keys)
        {
            if (!NamePattern().IsMatch(name))
            {
                listeners.Error(name, $"listener name '{name}' is not usable as an actor name (letters, digits, '_' and '-' only)");
                continue;
            }
            var own = listeners.Object(name);
            if (own is null) continue;
            var listener = ListenerSettingsParser.Parse(name, own, defaults, handlers, errors);
            if (listener is null) continue;
            result.Add(listener);
            if (listener.Port == 0) continue;
            var key = (listener.Transport, listener.Host.ToLowerInvariant(), listener.Port);
            if (binds.TryGetValue(key, out var first))
                errors.Add(new ConfigError($"{listener.Path}.bind",
                    $"{listener.BindDisplay} ({listener.Transport.ToString().ToLowerInvariant()}) is already bound by listener '{first}'"));
            else binds[key] = name;
        }
        return result;
    }

    private static SupervisionSettings? ReadSupervision(ConfigReader actornet, List<ConfigError> errors)
    {
        var block = actornet.Object("supervision");
        if (block is null) return null;
        var r = ConfigReader.At(block, "actornet.supervision", errors);
        r.RejectUnknownKeys(r.Keys, SupervisionKeys);
        var maxRestarts = r.Int("handler-max-restarts");
        if (maxRestarts < 0) r.Error("handler-max-restarts", $"must be 0 or more, got {maxRestarts}");
        var window = r.Duration("handler-restart-window");
        if (window == TimeSpan.Zero) r.Error("handler-restart-window", "must be greater than 0");

        var backoffBlock = r.Object("bind-backoff");
        if (backoffBlock is null) return null;
        var b = ConfigReader.At(backoffBlock, "actornet.supervision.bind-backoff", errors);
        b.RejectUnknownKeys(b.Keys, BackoffKeys);
        var min = b.Duration("min");
        var max = b.Duration("max");
        if (min == TimeSpan.Zero) b.Error("min", "must be greater than 0");
        if (min > TimeSpan.Zero && max < min) b.Error("max", $"must be at least min ({min})");

        if (maxRestarts is null or < 0 || window is null || window == TimeSpan.Zero || min is null || max is null
            || min == TimeSpan.Zero || max < min)
            return null;
        return new SupervisionSettings(maxRestarts.Value, window.Value, min.Value, max.Value);
    }

    private static LoggingSettings? ReadLogging(ConfigReader actornet, List<ConfigError> errors)
    {
        var block = actornet.Object("logging");
        if (block is null) return null;
        var r = ConfigReader.At(block, "actornet.logging", errors);
        r.RejectUnknownKeys(r.Keys, LoggingKeys);
        var level = r.Choice("level", Levels, ignoreCase: true);
        var console = r.Bool("console");
        var file = r.String("file");
        var json = r.Bool("json");
        if (level is null || console is null || file is null || json is null) return null;
        return new LoggingSettings(level.Value, console.Value, file.Trim().Length == 0 ? null : file, json.Value);
    }

    private static IReadOnlySet<string> Set(params string[] keys) => new SortedSet<string>(keys, StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}
