namespace ActorNet.Config;

/// <summary>Validates one <c>actornet.listeners.&lt;name&gt;</c> entry merged over <c>listener-defaults</c>.</summary>
internal static class ListenerSettingsParser
{
    public const string DefaultsPath = "actornet.listener-defaults";
    public const int MaxFrameBytesLimit = 16 * 1024 * 1024;

    /// <summary>Every key a listener (or listener-defaults) may hold.</summary>
    public static readonly IReadOnlySet<string> KnownKeys = new SortedSet<string>(StringComparer.Ordinal)
    {
        "transport", "bind", "handler", "framing", "line-ending", "max-frame-bytes", "max-connections",
        "max-connections-per-ip", "idle-timeout", "write-queue-limit-bytes", "upstream", "connect-timeout", "peer-ttl",
        "options",
    };

    private static readonly Dictionary<string, TransportKind> Transports = new()
    {
        ["tcp"] = TransportKind.Tcp, ["udp"] = TransportKind.Udp,
    };

    private static readonly Dictionary<string, FramingKind> Framings = new()
    {
        ["line"] = FramingKind.Line, ["length-prefixed"] = FramingKind.LengthPrefixed, ["raw"] = FramingKind.Raw,
    };

    private static readonly Dictionary<string, LineEnding> LineEndings = new()
    {
        ["lf"] = LineEnding.Lf, ["crlf"] = LineEnding.CrLf,
    };

    /// <summary>Built-in handlers that only work on one transport; others (echo, custom types) work on both.</summary>
    private static readonly Dictionary<string, TransportKind> HandlerTransport = new(StringComparer.Ordinal)
    {
        ["broadcast"] = TransportKind.Tcp, ["forward"] = TransportKind.Tcp, ["irc"] = TransportKind.Tcp,
        ["udp-relay"] = TransportKind.Udp,
    };

    /// <summary>
    /// Reads listener <paramref name="name"/>. <paramref name="own"/> is the listener's own object (for unknown-key
    /// checks and error paths), <paramref name="defaults"/> the listener-defaults it is merged over.
    /// </summary>
    public static ListenerSettings? Parse(
        string name, Akka.Configuration.Config own, Akka.Configuration.Config defaults, IReadOnlySet<string> builtInHandlers,
        List<ConfigError> errors)
    {
        var path = $"actornet.listeners.{name}";
        var ownKeys = ConfigReader.KeysOf(own);
        var ownKeySet = ownKeys.ToHashSet(StringComparer.Ordinal);
        var before = errors.Count;
        // A value taken from listener-defaults is reported at its own path, so one bad default is one error.
        var r = new ConfigReader(own.WithFallback(defaults), key => ownKeySet.Contains(key) ? $"{path}.{key}" : $"{DefaultsPath}.{key}", errors);
        r.RejectUnknownKeys(ownKeys, KnownKeys);

        var transport = r.Choice("transport", Transports);
        var bindText = r.String("bind");
        var bind = bindText is null ? null : ParseEndpoint(r, "bind", bindText, minPort: 0, allowHostNames: false);
        var handler = ParseHandler(r, builtInHandlers);
        var framing = r.Choice("framing", Framings);
        var lineEnding = r.Choice("line-ending", LineEndings);
        var maxFrame = r.ByteSize("max-frame-bytes");
        if (maxFrame is < 1 or > MaxFrameBytesLimit)
            r.Error("max-frame-bytes", $"{maxFrame} is out of range 1..{MaxFrameBytesLimit} (16MiB)");
        var maxConnections = r.Int("max-connections");
        if (maxConnections < 1) r.Error("max-connections", $"must be at least 1, got {maxConnections}");
        var perIp = r.Int("max-connections-per-ip");
        if (perIp < 0) r.Error("max-connections-per-ip", $"must be 0 (unlimited) or more, got {perIp}");
        var idle = r.Duration("idle-timeout");
        var writeQueue = r.ByteSize("write-queue-limit-bytes");
        if (writeQueue is not null && maxFrame is >= 1 and <= MaxFrameBytesLimit && writeQueue < maxFrame)
            r.Error("write-queue-limit-bytes", $"{writeQueue} must be at least max-frame-bytes ({maxFrame})");
        var connectTimeout = Positive(r, "connect-timeout");
        var peerTtl = Positive(r, "peer-ttl");
        var options = r.Object("options");

        HostPort? upstream = null;
        var upstreamText = r.String("upstream", required: handler == "forward");
        if (upstreamText is not null)
            upstream = ParseEndpoint(r, "upstream", upstreamText, minPort: 1, allowHostNames: true);

        if (handler is not null && transport is not null && HandlerTransport.TryGetValue(handler, out var only) && only != transport)
            r.Error("handler", $"handler '{handler}' needs transport {Lower(only)}, but the listener uses {Lower(transport.Value)}");

        if (errors.Count > before) return null;
        return new ListenerSettings(
            name, transport!.Value, bind!.Host, bind.Port, handler!, framing!.Value, lineEnding!.Value, (int)maxFrame!.Value,
            maxConnections!.Value, perIp!.Value, idle!.Value, writeQueue!.Value, upstream, connectTimeout!.Value, peerTtl!.Value,
            options!, path);
    }

    private static string? ParseHandler(ConfigReader r, IReadOnlySet<string> builtInHandlers)
    {
        var text = r.String("handler");
        if (text is null) return null;
        var handler = text.Trim();
        if (builtInHandlers.Contains(handler) || handler.Contains(',')) return handler;
        var names = string.Join(", ", builtInHandlers.Order(StringComparer.Ordinal));
        r.Error("handler", $"unknown handler '{text}' (expected {names} or an assembly-qualified type name)");
        return null;
    }

    private static HostPort? ParseEndpoint(ConfigReader r, string key, string text, int minPort, bool allowHostNames)
    {
        var endpoint = HostPortParser.TryParse(text, minPort, allowHostNames, out var error);
        if (endpoint is null) r.Error(key, error!);
        return endpoint;
    }

    private static TimeSpan? Positive(ConfigReader r, string key)
    {
        var span = r.Duration(key);
        if (span == TimeSpan.Zero) r.Error(key, "must be greater than 0");
        return span;
    }

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
