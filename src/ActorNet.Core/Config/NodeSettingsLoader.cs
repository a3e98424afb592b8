using System.Text.RegularExpressions;
using Akka.Configuration.Hocon;

namespace ActorNet.Config;

/// <summary>The outcome of loading settings: either Settings (and no errors) or every error found.</summary>
public sealed record LoadResult(NodeSettings? Settings, IReadOnlyList<ConfigError> Errors)
{
    public bool Ok => Settings is not null && Errors.Count == 0;
}

/// <summary>Turns HOCON into <see cref="NodeSettings"/>, reporting every error at once with its HOCON path.</summary>
public static partial class NodeSettingsLoader
{
    /// <summary>Sections directly under <c>actornet</c>; others are typos. Later features own their sections
    /// (chat, admin, faults, cluster) and validate them themselves.</summary>
    private static readonly HashSet<string> RootKeys =
        ["node", "listener-defaults", "listeners", "transport", "supervision", "logging", "chat", "admin", "faults", "cluster", "plugins", "events", "shutdown"];

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex ActorName();

    /// <summary>Parses and validates the actornet section of a merged config (the reference defaults are applied
    /// here too, so a config without them still loads). Handler names and their transports are checked against
    /// <paramref name="catalog"/>, the node's one list of them, with every other error; without one they are checked
    /// later, by <see cref="ActorNetNode.Validate"/> and <see cref="ActorNetNode.Start"/>.</summary>
    public static LoadResult Load(Akka.Configuration.Config config, Handlers.HandlerCatalog? catalog = null)
    {
        var errors = new ConfigErrors();
        if (HoconSyntaxCheck.CheckTree(config) is { } broken) // e.g. a cyclic substitution in a config built elsewhere
            return new LoadResult(null, [new ConfigError("actornet", "HOCON: " + broken)]);
        var full = ConfigSource.WithReference(config);
        var root = full.GetConfig("actornet");

        errors.UnknownKeys(config, "actornet", RootKeys);
        errors.UnknownKeys(config, "actornet.node", ["name"]);

        var nodeName = errors.String(root, "actornet", "node.name") ?? "actornet";
        if (!ActorName().IsMatch(nodeName))
            errors.Add("actornet.node.name", $"'{nodeName}' must be non-empty letters, digits, '-' or '_'");

        var supervision = SupervisionSection.Parse(full, config, errors);
        CheckEvents(full, config, errors);
        var shutdown = ParseShutdown(full, config, errors);
        var plugins = ParsePlugins(full, config, errors);
        var logging = LoggingSection.Parse(full, config, errors);
        var cluster = ClusterSection.Parse(full, config, errors);
        var listeners = ListenerSection.ParseAll(full, config, catalog, errors);
        foreach (var listener in listeners.Where(l => l.Scope == BroadcastScope.Cluster && !cluster.Enabled))
            errors.Add(listener.Path + ".scope", "scope = cluster needs actornet.cluster.enabled = on");
        var admin = FaultsSection.ParseAdmin(full, config, errors);
        var faults = FaultsSection.ParseFaults(full, config, listeners, errors);

        // The cluster section stands for Akka settings; the file's own akka { } keys still win over them.
        var akkaConfig = cluster.Enabled ? full.WithFallback(cluster.ToAkkaConfig()) : full;
        // The phase that runs the node's stop lasts as long as the drain needs (a file's own akka { } still wins).
        akkaConfig = akkaConfig.WithFallback(Akka.Configuration.ConfigurationFactory.ParseString(
            $"akka.coordinated-shutdown.phases.service-unbind.timeout = {(long)shutdown.PhaseTimeout.TotalMilliseconds}ms"));
        listeners = listeners.Select(l => l with { NodeConfig = full }).ToList();
        return errors.Count > 0
            ? new LoadResult(null, errors.ToList())
            : new LoadResult(new NodeSettings(nodeName, listeners, supervision, logging, akkaConfig, admin, faults) { Cluster = cluster, Shutdown = shutdown, PluginsDirectory = plugins }, []);
    }

    private static string? ParsePlugins(Akka.Configuration.Config full, Akka.Configuration.Config given, ConfigErrors errors)
    {
        const string path = "actornet.plugins";
        errors.UnknownKeys(given, path, ["directory"]);
        var section = full.GetConfig(path);
        var directory = section is null ? null : errors.String(section, path, "directory");
        if (string.IsNullOrWhiteSpace(directory)) return null;
        if (directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || directory.Any(char.IsControl))
        {
            errors.Add(path + ".directory", "must be a folder path (it holds a control character)");
            return null;
        }

        var absolute = Path.GetFullPath(directory);
        if (!Directory.Exists(absolute))
        {
            errors.Add(path + ".directory", $"'{directory}' is not a directory ({absolute})");
            return null;
        }

        return absolute;
    }

    private static ShutdownSettings ParseShutdown(Akka.Configuration.Config full, Akka.Configuration.Config given, ConfigErrors errors)
    {
        const string path = "actornet.shutdown";
        errors.UnknownKeys(given, path, ["drain-timeout"]);
        var section = full.GetConfig(path);
        var drain = section is null ? null : errors.Duration(section, path, "drain-timeout");
        if (drain is null) return ShutdownSettings.Default;
        if (drain <= TimeSpan.Zero || drain > TimeSpan.FromMinutes(10))
        {
            errors.Add(path + ".drain-timeout", $"must be > 0 and at most 10m (got {drain})");
            return ShutdownSettings.Default;
        }

        return new ShutdownSettings(drain.Value);
    }

    /// <summary><c>actornet.events</c> is read by <see cref="Runtime.NodeEvents"/> when the stream starts; checked here so
    /// that a bad value fails the start, not the first consumer.</summary>
    private static void CheckEvents(Akka.Configuration.Config full, Akka.Configuration.Config given, ConfigErrors errors)
    {
        const string path = "actornet.events";
        errors.UnknownKeys(given, path, ["buffer-size", "consumer-buffer"]);
        var section = full.GetConfig(path);
        if (section is null) return;
        var buffer = errors.Int(section, path, "buffer-size");
        if (buffer is { } b && (b < 1 || b > 65536 || (b & (b - 1)) != 0))
            errors.Add(path + ".buffer-size", $"must be a power of two 1..65536 (got {b})");
        var consumer = errors.Int(section, path, "consumer-buffer");
        if (consumer is { } c && (c < 1 || c > 65536))
            errors.Add(path + ".consumer-buffer", $"must be 1..65536 (got {c})");
    }

    /// <summary>Keys of the object at <paramref name="path"/>, in file order, from the config as given (no defaults).</summary>
    internal static IReadOnlyList<string> KeysOf(Akka.Configuration.Config config, string path)
    {
        if (!config.HasPath(path)) return [];
        HoconValue value;
        try
        {
            value = config.GetValue(path);
        }
        catch (Exception)
        {
            return [];
        }

        return value.IsObject() ? value.GetObject().Items.Keys.ToList() : [];
    }
}
