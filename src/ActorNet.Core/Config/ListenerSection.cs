using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ActorNet.Config;

/// <summary>Parses <c>actornet.listeners.*</c>, each merged over <c>actornet.listener-defaults</c>.</summary>
internal static partial class ListenerSection
{
    private const string MaxFrameLimit = "16MiB";
    private const long MaxFrameBytesLimit = 16L * 1024 * 1024;

    /// <summary>io-buffer-bytes = 0 on a forward listener (bulk relay): 64 KiB.</summary>
    public const int ForwardIoBufferBytes = 64 * 1024;

    private static readonly HashSet<string> Keys =
    [
        "transport", "bind", "handler", "framing", "line-ending", "max-frame-bytes", "max-connections",
        "max-connections-per-ip", "idle-timeout", "write-queue-limit-bytes", "upstream", "connect-timeout", "close-timeout", "peer-ttl", "require-hello", "relay-rate-packets", "relay-rate-bytes", "hello-rate", "options", "scope", "path", "allowed-origins",
        "tls", "upstream-tls",
        "input-credit-bytes", "write-queue-soft-limit-bytes", "io-buffer-bytes",
    ];

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex ActorName();

    public static List<ListenerSettings> ParseAll(Akka.Configuration.Config full, Akka.Configuration.Config given,
        Handlers.HandlerCatalog? catalog, ConfigErrors errors)
    {
        errors.UnknownKeys(given, "actornet.listener-defaults", Keys);
        var defaults = full.GetConfig("actornet.listener-defaults");
        var result = new List<ListenerSettings>();
        var endpoints = new Dictionary<(TransportKind, string, int), string>();
        foreach (var name in NodeSettingsLoader.KeysOf(full, "actornet.listeners"))
        {
            var path = "actornet.listeners." + name;
            if (!ActorName().IsMatch(name))
            {
                errors.Add(path, "a listener name may only hold letters, digits, '-' and '_'");
                continue;
            }

            if (!full.GetValue(path).IsObject())
            {
                errors.Add(path, "expected an object { transport = ..., bind = ..., handler = ... }");
                continue;
            }

            errors.UnknownKeys(full, path, Keys);
            var listener = Parse(name, path, full.GetConfig(path).WithFallback(defaults), catalog, errors);
            if (listener is null) continue;
            var socket = (listener.IsStream ? TransportKind.Tcp : TransportKind.Udp, listener.Host, listener.Port); // websocket binds TCP too
            if (listener.Port != 0 && !endpoints.TryAdd(socket, name))
                errors.Add(path + ".bind", $"{listener.BindDisplay} is already bound by listener '{endpoints[socket]}'");
            result.Add(listener);
        }

        return result;
    }

    private static ListenerSettings? Parse(string name, string path, Akka.Configuration.Config c, Handlers.HandlerCatalog? catalog, ConfigErrors errors)
    {
        var before = errors.Count;
        var transport = Enum<TransportKind>(errors, c, path, "transport", ("tcp", TransportKind.Tcp), ("udp", TransportKind.Udp), ("websocket", TransportKind.WebSocket));
        var framing = Enum<FramingKind>(errors, c, path, "framing",
            ("line", FramingKind.Line), ("length-prefixed", FramingKind.LengthPrefixed), ("raw", FramingKind.Raw));
        var lineEnding = Enum<LineEnding>(errors, c, path, "line-ending", ("lf", LineEnding.Lf), ("crlf", LineEnding.CrLf));

        HostPort? bind = null;
        var bindText = errors.String(c, path, "bind");
        if (bindText is null) errors.Add(path + ".bind", "required: \"host:port\", e.g. \"127.0.0.1:7000\"");
        else bind = ParseHostPort(bindText, path + ".bind", minPort: 0, bindable: true, errors);

        var handler = errors.String(c, path, "handler");
        // Which names exist and on which transports is the handler catalog's to say.
        if (string.IsNullOrWhiteSpace(handler))
            errors.Add(path + ".handler", "required: a handler name (e.g. echo) or an assembly-qualified type name");
        else if (catalog is not null && transport is { } t && catalog.NameProblem(handler, t) is { } problem)
            errors.Add(path + ".handler", problem);

        var maxFrame = errors.Bytes(c, path, "max-frame-bytes");
        if (maxFrame is { } mf && (mf < 1 || mf > MaxFrameBytesLimit))
            errors.Add(path + ".max-frame-bytes", $"must be 1 byte .. {MaxFrameLimit} (got {mf})");
        var maxConnections = errors.Int(c, path, "max-connections");
        if (maxConnections < 1) errors.Add(path + ".max-connections", $"must be >= 1 (got {maxConnections})");
        var perIp = errors.Int(c, path, "max-connections-per-ip");
        if (perIp < 0) errors.Add(path + ".max-connections-per-ip", $"must be >= 0, 0 = unlimited (got {perIp})");
        var idle = errors.Duration(c, path, "idle-timeout");
        if (idle < TimeSpan.Zero) errors.Add(path + ".idle-timeout", $"must be >= 0, 0 = off (got {idle})");
        var queueLimit = errors.Bytes(c, path, "write-queue-limit-bytes");
        if (queueLimit is { } ql && maxFrame is { } mf2 && ql < mf2)
            errors.Add(path + ".write-queue-limit-bytes", $"must be >= max-frame-bytes ({mf2}), got {ql}");
        var connectTimeout = errors.Duration(c, path, "connect-timeout");
        if (connectTimeout <= TimeSpan.Zero) errors.Add(path + ".connect-timeout", $"must be > 0 (got {connectTimeout})");
        var closeTimeout = errors.Duration(c, path, "close-timeout");
        if (closeTimeout <= TimeSpan.Zero) errors.Add(path + ".close-timeout", $"must be > 0 (got {closeTimeout})");
        var softLimit = errors.Bytes(c, path, "write-queue-soft-limit-bytes");
        if (softLimit is { } sl && sl < 1)
            errors.Add(path + ".write-queue-soft-limit-bytes", $"must be >= 1 byte (got {sl})");
        var inputCredit = errors.Bytes(c, path, "input-credit-bytes");
        if (inputCredit is { } ic && (ic < 1024 || ic > int.MaxValue))
            errors.Add(path + ".input-credit-bytes", $"must be 1KiB .. 2GiB (got {ic})");
        var ioBuffer = errors.Bytes(c, path, "io-buffer-bytes");
        if (ioBuffer is { } io && io != 0 && (io < 512 || io > MaxFrameBytesLimit))
            errors.Add(path + ".io-buffer-bytes", $"must be 0 (akka.io.tcp.maximum-frame-size) or 512 .. {MaxFrameLimit} (got {io})");
        var peerTtl = errors.Duration(c, path, "peer-ttl");
        if (peerTtl <= TimeSpan.Zero) errors.Add(path + ".peer-ttl", $"must be > 0 (got {peerTtl})");

        var requireHello = errors.Bool(c, path, "require-hello") ?? true;
        var ratePackets = errors.Int(c, path, "relay-rate-packets") ?? UdpRelayLimits.Default.PacketsPerSecond;
        if (ratePackets < 1) errors.Add(path + ".relay-rate-packets", $"must be >= 1 datagram per second (got {ratePackets})");
        var rateBytes = errors.Bytes(c, path, "relay-rate-bytes") ?? UdpRelayLimits.Default.BytesPerSecond;
        if (maxFrame is { } mf3 && rateBytes < mf3)
            errors.Add(path + ".relay-rate-bytes", $"must be >= max-frame-bytes ({mf3}) or the largest datagram could never pass (got {rateBytes})");
        var helloRate = errors.Int(c, path, "hello-rate") ?? UdpRelayLimits.Default.HelloRate;
        if (helloRate < 1) errors.Add(path + ".hello-rate", $"must be >= 1 cookie per second (got {helloRate})");

        HostPort? upstream = null;
        var upstreamText = c.HasPath("upstream") ? errors.String(c, path, "upstream") : null;
        if (upstreamText is not null)
            upstream = ParseHostPort(upstreamText, path + ".upstream", minPort: 1, bindable: false, errors);
        else if (handler == "forward")
            errors.Add(path + ".upstream", "required for handler = forward: \"host:port\" of the service to proxy to");

        var scope = Enum<BroadcastScope>(errors, c, path, "scope", ("node", BroadcastScope.Node), ("cluster", BroadcastScope.Cluster));
        if (scope == BroadcastScope.Cluster && handler != "broadcast")
            errors.Add(path + ".scope", "scope = cluster is only for handler = broadcast");

        var wsPath = errors.String(c, path, "path") ?? "/";
        if (!wsPath.StartsWith('/') || wsPath.Any(ch => ch <= ' ' || ch == '?' || ch == '#' || ch > '~'))
            errors.Add(path + ".path", $"must be an absolute request path like \"/\" or \"/irc\" (got '{wsPath}')");

        ActorNet.Framing.OriginPolicy? origins = null;
        if (errors.StringList(c, path, "allowed-origins") is { Count: > 0 } originList)
        {
            if (transport is { } tr && tr != TransportKind.WebSocket)
                errors.Add(path + ".allowed-origins", "only for transport = websocket (browsers send Origin only there)");
            origins = ActorNet.Framing.OriginPolicy.FromList(originList, out var originError);
            if (originError is not null) errors.Add(path + ".allowed-origins", originError);
        }

        var options = c.HasPath("options") && c.GetValue("options").IsObject() ? c.GetConfig("options") : Akka.Configuration.Config.Empty;
        if (c.HasPath("options") && !c.GetValue("options").IsObject())
            errors.Add(path + ".options", "expected an object { key = value ... }");

        var tls = TlsSection.Parse(c, path, transport, errors);
        var upstreamTls = TlsSection.ParseUpstream(c, path, handler, upstream, errors);

        if (errors.Count > before || bind is null || transport is null || framing is null || lineEnding is null || handler is null)
            return null;
        if (maxFrame is null || maxConnections is null || perIp is null || idle is null || queueLimit is null || connectTimeout is null || peerTtl is null)
        {
            errors.Add(path, "a size, count or duration key has a value of the wrong type"); // never a NullReference later
            return null;
        }

        return new ListenerSettings(name, transport.Value, bind.Host, bind.Port, handler, framing.Value, lineEnding.Value,
            (int)maxFrame!.Value, maxConnections!.Value, perIp!.Value, idle!.Value, queueLimit!.Value, upstream,
            connectTimeout!.Value, peerTtl!.Value, options, path)
        {
            Scope = scope ?? BroadcastScope.Node,
            WebSocketPath = wsPath,
            AllowedOrigins = origins,
            CloseTimeout = closeTimeout ?? TimeSpan.FromSeconds(5),
            Tls = tls,
            UpstreamTls = upstreamTls,
            UdpRelay = new UdpRelayLimits(requireHello, ratePackets, rateBytes, helloRate),
            InputCreditBytes = inputCredit ?? 256 * 1024,
            // 0 = by handler: a forward listener reads 64 KiB at a time (a read's copy under the 85,000-byte large-object
            // threshold: 2x the proxy MB/s of 128k at a third of the RSS growth), all others keep the node-wide 128k, whose
            // untouched pages cost nothing idle (64 KiB: 78 vs 24 KiB per idle connection). docs/BENCHMARKS.md "fourth session"
            IoBufferBytes = ioBuffer is null or 0 && handler == "forward" ? ForwardIoBufferBytes : (int)Math.Clamp(ioBuffer ?? 0, 0, MaxFrameBytesLimit),
            // at most half the hard limit, so that a listener that only lowers write-queue-limit-bytes keeps two tiers
            WriteQueueSoftLimitBytes = Math.Min(softLimit ?? 256 * 1024, Math.Max(1, queueLimit!.Value / 2)),
        };
    }

    private static T? Enum<T>(ConfigErrors errors, Akka.Configuration.Config c, string path, string key, params (string Name, T Value)[] choices)
        where T : struct
    {
        var text = errors.String(c, path, key);
        if (text is null) return null;
        foreach (var (choice, value) in choices)
            if (string.Equals(choice, text, StringComparison.OrdinalIgnoreCase)) return value;
        errors.Add($"{path}.{key}", $"unknown {key} '{text}' (expected {string.Join(", ", choices.Select(x => x.Name))})");
        return null;
    }

    /// <summary>"host:port" with an IPv4/IPv6 literal or localhost (bind) or any host name (upstream); IPv6 in brackets.</summary>
    internal static HostPort? ParseHostPort(string text, string path, int minPort, bool bindable, ConfigErrors errors)
    {
        string host, portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                errors.Add(path, $"'{text}' is not \"[ipv6]:port\"");
                return null;
            }

            host = text[1..close];
            portText = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0 || text.IndexOf(':') != colon)
            {
                errors.Add(path, $"'{text}' is not \"host:port\" (write IPv6 addresses in brackets: \"[::1]:7000\")");
                return null;
            }

            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < minPort || port > 65535)
        {
            errors.Add(path, $"port '{portText}' is out of range {minPort}..65535");
            return null;
        }

        var isIp = IPAddress.TryParse(host, out _);
        if (bindable && !isIp && host != "localhost")
        {
            errors.Add(path, $"'{host}' is not an IP address or localhost (a listener binds to a local address)");
            return null;
        }

        if (!bindable && !isIp && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            errors.Add(path, $"'{host}' is not a valid host name or IP address");
            return null;
        }

        return new HostPort(host, port);
    }
}
