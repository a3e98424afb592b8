namespace ActorNet.Config.Reload;

/// <summary>What a reload does to one listener.</summary>
public enum ListenerChange
{
    /// <summary>New in the file: bound.</summary>
    Added,
    /// <summary>Gone from the file: stops accepting, its clients drain (a last error line, FIN), then it unbinds.</summary>
    Removed,
    /// <summary>A socket or protocol key changed: drained and unbound like a removed one, then bound anew.</summary>
    Rebound,
    /// <summary>Only keys a running listener can take changed: new connections get them, open ones keep theirs
    /// (max-connections and max-connections-per-ip count every connection at the next accept).</summary>
    InPlace,
}

/// <summary>One listener's part of a <see cref="ReloadPlan"/>: what happens and which keys caused it.</summary>
public sealed record ListenerPlan(string Name, ListenerChange Change, IReadOnlyList<string> Keys)
{
    public override string ToString() => Change switch
    {
        ListenerChange.Added => $"+ listener {Name}: bound",
        ListenerChange.Removed => $"- listener {Name}: drained and unbound",
        ListenerChange.Rebound => $"~ listener {Name}: re-bound ({string.Join(", ", Keys)})",
        _ => $"~ listener {Name}: in place for new connections ({string.Join(", ", Keys)})",
    };
}

/// <summary>
/// What a reload from <c>running</c> to <c>next</c> settings would do — pure, so <c>actornet check</c> and the dry
/// run show exactly what the apply does. Refused is non-empty when a key that cannot change at run time changed: then
/// nothing is applied. Which keys are which is declared once here (<see cref="RebindKeys"/>,
/// <see cref="InPlaceKeys"/>, <see cref="Immutable"/>) and written down in the README's Reload section.
/// </summary>
public sealed record ReloadPlan(
    IReadOnlyList<ListenerPlan> Listeners,
    IReadOnlyList<string> Sections,
    IReadOnlyList<ConfigError> Refused)
{
    /// <summary>Keys that need a new socket or change what the protocol is: a change re-binds the listener.</summary>
    public static readonly IReadOnlyList<string> RebindKeys = ["transport", "bind", "handler", "framing", "line-ending", "path", "scope", "tls (on/off)"];

    /// <summary>Keys a running TCP/WebSocket listener takes for its next connections (UDP listeners re-bind on any change).</summary>
    public static readonly IReadOnlyList<string> InPlaceKeys =
    [
        "max-frame-bytes", "max-connections", "max-connections-per-ip", "idle-timeout", "write-queue-limit-bytes",
        "upstream", "upstream-tls", "connect-timeout", "close-timeout", "options", "tls (certificate, key, options)",
    ];

    /// <summary>Sections (HOCON paths) that cannot change while the node runs, and why.</summary>
    public static readonly IReadOnlyList<(string Path, string Why)> Immutable =
    [
        ("actornet.node.name", "the node name is the actor system's name and in every log line"),
        ("actornet.cluster", "the cluster address and seed nodes are fixed when the actor system starts"),
        ("actornet.chat.casemapping", "nicks and channels already registered were folded with the old casemapping"),
        ("actornet.admin", "the admin endpoint is bound once at start"),
        ("actornet.logging", "the log sinks are created once at start"),
        ("actornet.plugins", "plugin assemblies are loaded once at start"),
        ("actornet.supervision", "supervisors read their strategies once at start"),
        ("akka", "Akka settings are read when the actor system starts"),
    ];

    /// <summary>Sections a reload applies besides listeners.</summary>
    public static readonly IReadOnlyList<(string Path, string Effect)> Applied =
    [
        ("actornet.chat", "MOTD, opers, flood and limits for new IRC connections (open sessions keep theirs)"),
        ("actornet.faults", "configured toxics replaced (added by ctl stay), chaos restarted with the new settings"),
    ];

    public bool Ok => Refused.Count == 0;

    public bool IsEmpty => Listeners.Count == 0 && Sections.Count == 0;

    /// <summary>One line per change, for the log, <c>ctl reload</c> and <c>check</c>.</summary>
    public IReadOnlyList<string> Describe()
    {
        if (!Ok) return Refused.Select(e => $"refused: {e}").ToList();
        if (IsEmpty) return ["no changes"];
        return [.. Listeners.Select(l => l.ToString()), .. Sections.Select(s => $"~ {s}: {Applied.First(a => a.Path == s).Effect}")];
    }

    public static ReloadPlan Compute(NodeSettings running, NodeSettings next)
    {
        var refused = new List<ConfigError>();
        if (running.NodeName != next.NodeName)
            refused.Add(new ConfigError("actornet.node.name", $"cannot change at run time ('{running.NodeName}' -> '{next.NodeName}'): {Immutable[0].Why}; restart the node"));
        foreach (var (path, why) in Immutable.Skip(1))
            if (Render(running.Config, path) != Render(next.Config, path))
                refused.Add(new ConfigError(path, $"cannot change at run time: {why}; restart the node"));

        var plans = new List<ListenerPlan>();
        var old = running.Listeners.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var names = next.Listeners.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in running.Listeners.Where(l => !names.Contains(l.Name)))
            plans.Add(new ListenerPlan(gone.Name, ListenerChange.Removed, []));
        foreach (var listener in next.Listeners)
        {
            if (!old.TryGetValue(listener.Name, out var before))
            {
                plans.Add(new ListenerPlan(listener.Name, ListenerChange.Added, []));
                continue;
            }

            var (rebind, inPlace) = Differences(before, listener);
            if (rebind.Count > 0 || (inPlace.Count > 0 && !listener.IsStream))
                plans.Add(new ListenerPlan(listener.Name, ListenerChange.Rebound, [.. rebind, .. inPlace]));
            else if (inPlace.Count > 0)
                plans.Add(new ListenerPlan(listener.Name, ListenerChange.InPlace, inPlace));
        }

        var sections = Applied.Select(a => a.Path).Where(p => Render(running.Config, p, except: "casemapping") != Render(next.Config, p, except: "casemapping")).ToList();
        return new ReloadPlan(plans, sections, refused);
    }

    /// <summary>The keys of a listener that differ, split into re-bind and in-place.</summary>
    internal static (List<string> Rebind, List<string> InPlace) Differences(ListenerSettings a, ListenerSettings b)
    {
        var rebind = new List<string>();
        var inPlace = new List<string>();
        void Check(List<string> into, string key, object? x, object? y)
        {
            if (!Equals(x, y)) into.Add(key);
        }

        Check(rebind, "transport", a.Transport, b.Transport);
        Check(rebind, "bind", a.BindDisplay, b.BindDisplay);
        Check(rebind, "handler", a.Handler, b.Handler);
        Check(rebind, "framing", a.Framing, b.Framing);
        Check(rebind, "line-ending", a.LineEnding, b.LineEnding);
        Check(rebind, "path", a.WebSocketPath, b.WebSocketPath);
        Check(rebind, "scope", a.Scope, b.Scope);
        Check(rebind, "tls", a.Tls is null, b.Tls is null);
        Check(inPlace, "max-frame-bytes", a.MaxFrameBytes, b.MaxFrameBytes);
        Check(inPlace, "max-connections", a.MaxConnections, b.MaxConnections);
        Check(inPlace, "max-connections-per-ip", a.MaxConnectionsPerIp, b.MaxConnectionsPerIp);
        Check(inPlace, "idle-timeout", a.IdleTimeout, b.IdleTimeout);
        Check(inPlace, "write-queue-limit-bytes", a.WriteQueueLimitBytes, b.WriteQueueLimitBytes);
        Check(inPlace, "upstream", a.Upstream, b.Upstream);
        Check(inPlace, "upstream-tls", a.UpstreamTls, b.UpstreamTls);
        Check(inPlace, "connect-timeout", a.ConnectTimeout, b.ConnectTimeout);
        Check(inPlace, "close-timeout", a.CloseTimeout, b.CloseTimeout);
        Check(inPlace, "peer-ttl", a.PeerTtl, b.PeerTtl);
        Check(inPlace, "require-hello/relay-rate/hello-rate", a.UdpRelay, b.UdpRelay);
        Check(inPlace, "allowed-origins", a.AllowedOrigins?.ToString(), b.AllowedOrigins?.ToString());
        Check(inPlace, "options", a.Options.ToString(), b.Options.ToString());
        if (a.Tls is not null && b.Tls is not null) Check(inPlace, "tls", a.Tls, b.Tls);
        return (rebind, inPlace);
    }

    /// <summary>A section as HOCON text (with the reference defaults merged in), for comparing two configs.</summary>
    private static string Render(Akka.Configuration.Config config, string path, string? except = null)
    {
        try
        {
            if (!config.HasPath(path)) return "";
            var section = config.GetValue(path);
            if (except is null || !section.IsObject()) return section.ToString();
            return string.Join("\n", section.GetObject().Items.Where(kv => kv.Key != except).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => kv.Key + "=" + kv.Value));
        }
        catch (Exception e) when (e is Akka.Configuration.ConfigurationException or InvalidOperationException)
        {
            return "!" + e.Message;
        }
    }
}
