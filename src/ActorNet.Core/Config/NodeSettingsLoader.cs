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
    /// <summary>The handler names ActorNet knows without a type name.</summary>
    public static readonly IReadOnlySet<string> BuiltInHandlers =
        new HashSet<string>(StringComparer.Ordinal) { "echo", "broadcast", "forward", "udp-relay", "irc" };

    /// <summary>Sections directly under <c>actornet</c>; others are typos. Later features own their sections
    /// (chat, admin, faults, cluster) and validate them themselves.</summary>
    private static readonly HashSet<string> RootKeys =
        ["node", "listener-defaults", "listeners", "transport", "supervision", "logging", "chat", "admin", "faults", "cluster", "plugins"];

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex ActorName();

    /// <summary>Parses and validates the actornet section of a merged config (the reference defaults are applied
    /// here too, so a config without them still loads).</summary>
    public static LoadResult Load(Akka.Configuration.Config config, IReadOnlySet<string>? builtInHandlers = null)
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
        var logging = LoggingSection.Parse(full, config, errors);
        var cluster = ClusterSection.Parse(full, config, errors);
        var listeners = ListenerSection.ParseAll(full, config, builtInHandlers ?? BuiltInHandlers, errors);
        foreach (var listener in listeners.Where(l => l.Scope == BroadcastScope.Cluster && !cluster.Enabled))
            errors.Add(listener.Path + ".scope", "scope = cluster needs actornet.cluster.enabled = on");
        var admin = FaultsSection.ParseAdmin(full, config, errors);
        var faults = FaultsSection.ParseFaults(full, config, listeners, errors);

        // The cluster section stands for Akka settings; the file's own akka { } keys still win over them.
        var akkaConfig = cluster.Enabled ? full.WithFallback(cluster.ToAkkaConfig()) : full;
        listeners = listeners.Select(l => l with { NodeConfig = full }).ToList();
        return errors.Count > 0
            ? new LoadResult(null, errors.ToList())
            : new LoadResult(new NodeSettings(nodeName, listeners, supervision, logging, akkaConfig, admin, faults) { Cluster = cluster }, []);
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
