using ActorNet.Chat.Protocol;
using ActorNet.Config;
using Akka.Configuration;

namespace ActorNet.Chat.Settings;

/// <summary>Flood control: a token bucket per client.</summary>
/// <param name="Burst">bucket capacity (lines at once)</param>
/// <param name="PerSecond">refill rate (lines per second)</param>
/// <param name="MaxQueued">lines held back (bucket empty, or a command still waiting) at which the connection stops
/// reading the client until half of them have run ("fakelag": the client is slowed down, not closed)</param>
public sealed record FloodSettings(int Burst, double PerSecond, int MaxQueued)
{
    /// <summary>flood.max-held-bytes: payload bytes of held lines beyond which the client is closed with
    /// <c>ERROR :Excess Flood</c>: what had been read already when the pause took effect (the one input that cannot be
    /// paused). Above input-credit-bytes + one read (as by default) it is never reached. At least max-frame-bytes of
    /// an irc listener, or one long line could never be held.</summary>
    public long MaxHeldBytes { get; init; } = 512 * 1024;
}

/// <summary>The chat (IRC) service settings, parsed once from HOCON (see the <c>chat</c> block of config/actornet.reference.conf). Immutable.</summary>
public sealed record ChatSettings(
    string ServerName,
    string NetworkName,
    IReadOnlyList<string> Motd,
    string? Password,
    IReadOnlyDictionary<string, string> Opers,
    TimeSpan PingInterval,
    TimeSpan PingTimeout,
    TimeSpan RegistrationTimeout,
    FloodSettings Flood,
    int MaxChannelsPerUser,
    int NickLength,
    int ChannelLength,
    int TopicLength,
    int AwayLength,
    int KickLength,
    CaseMapping CaseMapping)
{
    /// <summary>sendq-bytes: the write-queue limit of irc listeners; 0 = the listener's write-queue-limit-bytes.</summary>
    public long SendqBytes { get; init; }

    /// <summary>server-info: the server's description (LINKS 364 after the hop count).</summary>
    public string ServerInfo { get; init; } = "ActorNet IRC";

    /// <summary>max-list-entries: entries of one channel list mode (+b, +e, +I) — MAXLIST; more answers 478.</summary>
    public int MaxListEntries { get; init; } = 100;

    /// <summary>max-invites: pending invitations one channel keeps (the oldest is forgotten first).</summary>
    public int MaxInvites { get; init; } = 100;

    /// <summary>max-who-replies: 352 (WHO) lines one command may produce; the rest is cut, the end numeric still comes.</summary>
    public int MaxWhoReplies { get; init; } = 500;

    /// <summary>max-list-replies: 322 (LIST) lines one command may produce.</summary>
    public int MaxListReplies { get; init; } = 1000;

    /// <summary>max-monitor: nicks one client may MONITOR (ISUPPORT MONITOR=); more answers 734.</summary>
    public int MaxMonitor { get; init; } = 100;

    /// <summary>max-connections-per-ip of irc listeners; 0 = the listener's own setting.</summary>
    public int MaxConnectionsPerIp { get; init; }

    /// <summary>oper-throttle: failed OPER attempts allowed per client address (see <see cref="ActorNet.Security.FailureThrottle"/>).</summary>
    public ActorNet.Security.ThrottleSettings OperThrottle { get; init; } = new(3, TimeSpan.FromMinutes(1), 4096);

    /// <summary>Operators whose password is stored as plain:PASSWORD (warned about at start).</summary>
    public IEnumerable<string> PlainTextOpers => Opers.Where(o => OperPassword.IsPlain(o.Value)).Select(o => o.Key);

    /// <summary>sts.port: the TLS port plain irc listeners advertise in the IRCv3 <c>sts</c> capability; 0 = no sts.</summary>
    public int StsPort { get; init; }

    /// <summary>sts.duration: the policy lifetime TLS irc listeners advertise.</summary>
    public TimeSpan StsDuration { get; init; } = TimeSpan.FromDays(14);

    /// <summary>sts.preload: TLS irc listeners add <c>,preload</c>.</summary>
    public bool StsPreload { get; init; }

    /// <summary>request-timeout: how long a session waits for the chat service before its input flows again.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>claim-timeout: how long a nick claim may wait for the cluster registry before 437.</summary>
    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>whowas-size: nicks remembered for WHOWAS.</summary>
    public int WhowasSize { get; init; } = 200;

    /// <summary>max-pipelined: channel messages one session may have in flight to its channel at once.</summary>
    public int MaxPipelined { get; init; } = 64;

    /// <summary>The ISUPPORT of these settings, built once per settings instance (a <c>with</c> copy builds its own).</summary>
    private readonly ISupportCache _isupport = new();

    /// <summary>Holds the built ISUPPORT; equal to every other cache, so it never changes how settings compare.</summary>
    private sealed class ISupportCache
    {
        public volatile Tuple<ChatSettings, ISupportSettings>? Entry;

        public override bool Equals(object? obj) => obj is ISupportCache;

        public override int GetHashCode() => 0;
    }

    /// <summary>The <c>actornet.chat</c> block of ActorNet's reference config (config/actornet.reference.conf).</summary>
    private static readonly Akka.Configuration.Config ReferenceConfig = ActorNet.Config.ConfigSource.Reference.GetConfig("actornet.chat");

    /// <summary>The settings of the reference config (all defaults).</summary>
    public static ChatSettings Default { get; } = Parse(Akka.Configuration.Config.Empty, "actornet.chat", out _);

    /// <summary>The ISUPPORT tokens matching what this server enforces.</summary>
    public ISupportSettings ISupport
    {
        get
        {
            if (_isupport.Entry is { } cached && ReferenceEquals(cached.Item1, this)) return cached.Item2;
            var value = BuildISupport();
            _isupport.Entry = Tuple.Create(this, value);
            return value;
        }
    }

    private ISupportSettings BuildISupport() => new(NetworkName)
    {
        NickLen = NickLength,
        ChannelLen = ChannelLength,
        TopicLen = TopicLength,
        AwayLen = AwayLength,
        KickLen = KickLength,
        CaseMapping = CaseMapping,
        ChanLimit = MaxChannelsPerUser,
        ChanModes = "beI,k,l,Cimnpst",
        // UTF8ONLY (IRCv3 utf8-only): lines that are not UTF-8 are refused with FAIL ... INVALID_UTF8.
        Extra = ["TARGMAX=PRIVMSG:4,NOTICE:4,TAGMSG:4,JOIN:,PART:,KICK:,NAMES:,WHOIS:1", "UTF8ONLY", "BOT=B", "STATUSMSG=@+", "MAXLIST=" + string.Join(',', "beI".Select(m => m + ":" + MaxListEntries.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            "EXCEPTS=e", "INVEX=I", "ELIST=" + Core.ListFilter.Supported,
            "MONITOR=" + MaxMonitor.ToString(System.Globalization.CultureInfo.InvariantCulture), "WHOX"],
    };

    /// <summary>Reads <c>actornet.chat</c> of the node's root configuration, falling back to the reference.</summary>
    public static ChatSettings Load(Akka.Configuration.Config root, out IReadOnlyList<ConfigError> errors)
    {
        var block = root.HasPath("actornet.chat") ? root.GetConfig("actornet.chat") : Akka.Configuration.Config.Empty;
        return Parse(block, "actornet.chat", out errors);
    }

    /// <summary>Parses one chat block (keys as in the <c>chat</c> block of config/actornet.reference.conf) merged over the reference.</summary>
    /// <param name="block">the block, wherever it came from (actornet.chat, a listener's options)</param>
    /// <param name="path">the HOCON path of the block, for error messages</param>
    /// <param name="errors">every problem found; empty when the settings are valid</param>
    /// <returns>the settings; on errors, defaults stand in for the invalid keys</returns>
    public static ChatSettings Parse(Akka.Configuration.Config? block, string path, out IReadOnlyList<ConfigError> errors)
    {
        var reader = new Reader((block ?? Akka.Configuration.Config.Empty).WithFallback(ReferenceConfig), path);
        var serverName = reader.String("server-name", s => s.Length is > 0 and <= 63 && !s.Any(c => c is ' ' or ',' or '!' or '@' or '*' or ':' || char.IsControl(c)),
            "must be 1-63 characters without spaces, ',', '!', '@', '*' or ':'");
        var maxList = reader.Int("max-list-entries", 1, 100_000);
        var maxInvites = reader.Int("max-invites", 1, 100_000);
        var maxWho = reader.Int("max-who-replies", 1, 1_000_000);
        var maxListReplies = reader.Int("max-list-replies", 1, 1_000_000);
        var maxMonitor = reader.Int("max-monitor", 1, 100_000);
        var serverInfo = reader.String("server-info", s => s.Length is > 0 and <= 200 && !s.Any(char.IsControl), "must be 1-200 printable characters");
        var network = reader.String("network-name", s => s.Length is > 0 and <= 64 && !s.Any(char.IsControl), "must be 1-64 printable characters");
        var motdText = reader.String("motd", s => !s.Contains('\r') && !s.Contains('\0'), "must not contain CR or NUL");
        var password = reader.String("password", s => !s.Contains(' '), "must not contain spaces");
        var opers = reader.Opers("opers");
        var pingInterval = reader.Duration("ping-interval", TimeSpan.FromSeconds(1));
        var pingTimeout = reader.Duration("ping-timeout", TimeSpan.FromSeconds(1));
        var registrationTimeout = reader.Duration("registration-timeout", TimeSpan.FromSeconds(1));
        var burst = reader.Int("flood.burst", 1, 10_000);
        var perSecond = reader.Double("flood.per-second", 0.01, 10_000);
        var maxQueued = reader.Int("flood.max-queued", 0, 10_000);
        var maxHeld = reader.Bytes("flood.max-held-bytes", 1024, 1L << 30);
        var maxChannels = reader.Int("max-channels-per-user", 1, 10_000);
        var nickLength = reader.Int("nick-length", 1, 200);
        var channelLength = reader.Int("channel-length", 2, 200);
        var topicLength = reader.Int("topic-length", 1, 400);
        var awayLength = reader.Int("away-length", 1, 400);
        var kickLength = reader.Int("kick-length", 1, 400);
        var caseMappingName = reader.String("casemapping", s => CaseMapping.TryParse(s, out _), "must be ascii, rfc1459 or strict-rfc1459");
        CaseMapping.TryParse(caseMappingName, out var caseMapping);
        var sendq = reader.Bytes("sendq-bytes", 0, 1L << 30);
        var perIp = reader.Int("max-connections-per-ip", 0, 1_000_000);
        var requestTimeout = reader.Duration("request-timeout", TimeSpan.FromMilliseconds(100));
        var claimTimeout = reader.Duration("claim-timeout", TimeSpan.FromMilliseconds(100));
        var whowas = reader.Int("whowas-size", 0, 100_000);
        var pipelined = reader.Int("max-pipelined", 1, 10_000);
        var operThrottle = new ActorNet.Security.ThrottleSettings(
            reader.Int("oper-throttle.failures", 1, 1000),
            reader.Duration("oper-throttle.window", TimeSpan.FromSeconds(1)),
            reader.Int("oper-throttle.max-clients", 1, 1_000_000));
        var stsPort = reader.Int("sts.port", 0, 65535);
        var stsDuration = reader.Duration("sts.duration", TimeSpan.Zero);
        var stsPreload = reader.String("sts.preload", s => s is "on" or "off" or "true" or "false" or "yes" or "no", "must be on or off") is "on" or "true" or "yes";
        errors = reader.Errors;
        return new ChatSettings(
            serverName,
            network,
            motdText.Length == 0 ? [] : motdText.Split('\n'),
            password.Length == 0 ? null : password,
            opers,
            pingInterval,
            pingTimeout,
            registrationTimeout,
            new FloodSettings(burst, perSecond, maxQueued) { MaxHeldBytes = maxHeld },
            maxChannels,
            nickLength,
            channelLength,
            topicLength,
            awayLength,
            kickLength,
            caseMapping ?? CaseMapping.Rfc1459)
        {
            SendqBytes = sendq,
            ServerInfo = serverInfo,
            MaxListEntries = maxList,
            MaxInvites = maxInvites,
            MaxWhoReplies = maxWho,
            MaxListReplies = maxListReplies,
            MaxMonitor = maxMonitor,
            MaxConnectionsPerIp = perIp,
            RequestTimeout = requestTimeout,
            ClaimTimeout = claimTimeout,
            WhowasSize = whowas,
            MaxPipelined = pipelined,
            OperThrottle = operThrottle,
            StsPort = stsPort,
            StsDuration = stsDuration,
            StsPreload = stsPreload,
        };
    }

    /// <summary>Reads keys one by one; a bad key records an error and yields the reference default.</summary>
    private sealed class Reader(Akka.Configuration.Config config, string path)
    {
        public List<ConfigError> Errors { get; } = new();

        private string P(string key) => path + "." + key;

        private T Read<T>(string key, Func<Akka.Configuration.Config, string, T> get, Func<T, bool> valid, string reason)
        {
            try
            {
                var value = get(config, key);
                if (valid(value)) return value;
                Errors.Add(new ConfigError(P(key), reason));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Errors.Add(new ConfigError(P(key), reason + " (" + e.Message + ")"));
            }

            return get(ReferenceConfig, key);
        }

        public long Bytes(string key, long min, long max) =>
            Read(key, (c, k) => c.GetByteSize(k) ?? 0, v => v >= min && v <= max, $"must be a size from {min} to {max} bytes");

        public string String(string key, Func<string, bool> valid, string reason) =>
            Read(key, (c, k) => c.GetString(k, "") ?? "", valid, reason);

        public int Int(string key, int min, int max) =>
            Read(key, (c, k) => c.GetInt(k), v => v >= min && v <= max, $"must be an integer from {min} to {max}");

        public double Double(string key, double min, double max) =>
            Read(key, (c, k) => c.GetDouble(k), v => double.IsFinite(v) && v >= min && v <= max, $"must be a number from {min} to {max}");

        public TimeSpan Duration(string key, TimeSpan min) =>
            Read(key, (c, k) => c.GetTimeSpan(k, null, allowInfinite: false), v => v >= min && v <= MaxDuration,
                $"must be a duration from {min.TotalSeconds}s to {MaxDuration.TotalDays:0}d (e.g. 90s)");

        /// <summary>Timers take at most ~24.8 days; no chat timeout needs more.</summary>
        private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(24);

        public IReadOnlyDictionary<string, string> Opers(string key)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                var opers = config.GetConfig(key);
                if (opers is null || opers.IsEmpty) return result;
                foreach (var entry in opers.AsEnumerable())
                {
                    var password = entry.Value.GetString();
                    if (string.IsNullOrEmpty(password) || password.Contains(' '))
                        Errors.Add(new ConfigError(P(key + "." + entry.Key), "an operator password must be a non-empty string without spaces"));
                    else if (entry.Key.Length == 0 || entry.Key.Contains(' '))
                        Errors.Add(new ConfigError(P(key + "." + entry.Key), "an operator name must not be empty or contain spaces"));
                    else if (OperPassword.Problem(password) is { } problem)
                        Errors.Add(new ConfigError(P(key + "." + entry.Key), problem));
                    else
                        result[entry.Key] = password;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Errors.Add(new ConfigError(P(key), "must be an object of name = password (" + e.Message + ")"));
            }

            return result;
        }
    }
}
