using System.Globalization;

namespace ActorNet.Faults;

/// <summary>What a toxic does (Toxiproxy style).</summary>
public enum ToxicKind
{
    /// <summary>Delay every frame by latency ± jitter, keeping order.</summary>
    Latency,
    /// <summary>Cap throughput at rate KiB/s (token bucket on frames).</summary>
    Bandwidth,
    /// <summary>Delay the socket close by delay after the node decides to close.</summary>
    SlowClose,
    /// <summary>Stop delivering; close the connection after timeout (0 = never).</summary>
    Timeout,
    /// <summary>Reset the connection once bytes have passed.</summary>
    ResetAfter,
    /// <summary>Drop each frame (or UDP datagram) with probability.</summary>
    Drop,
}

/// <summary>Which way a toxic acts: upstream = client → node, downstream = node → client.</summary>
public enum ToxicDirection { Upstream, Downstream }

/// <summary>One toxic, on a listener (all its connections, and its datagrams for UDP) or on one connection.</summary>
public sealed record ToxicSpec(
    string Name,
    ToxicKind Kind,
    ToxicDirection Direction,
    string? Listener,
    long? ConnectionId,
    TimeSpan Latency = default,
    TimeSpan Jitter = default,
    double RateKiBps = 0,
    TimeSpan Delay = default,
    long Bytes = 0,
    double Probability = 0)
{
    /// <summary>Does this toxic act on connection <paramref name="connectionId"/> of <paramref name="listener"/>?</summary>
    public bool Targets(string listener, long? connectionId) =>
        ConnectionId is { } id ? connectionId == id : string.Equals(Listener, listener, StringComparison.Ordinal);

    /// <summary>The toxic as name → value text (the same keys <see cref="ToxicParser"/> reads).</summary>
    public IReadOnlyDictionary<string, string> Describe()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = Name,
            ["type"] = ToxicParser.KindName(Kind),
            ["direction"] = Direction == ToxicDirection.Upstream ? "upstream" : "downstream",
        };
        if (Listener is not null) d["listener"] = Listener;
        if (ConnectionId is { } id) d["connection"] = id.ToString(CultureInfo.InvariantCulture);
        switch (Kind)
        {
            case ToxicKind.Latency:
                d["latency"] = Ms(Latency);
                d["jitter"] = Ms(Jitter);
                break;
            case ToxicKind.Bandwidth: d["rate"] = RateKiBps.ToString(CultureInfo.InvariantCulture); break;
            case ToxicKind.SlowClose: d["delay"] = Ms(Delay); break;
            case ToxicKind.Timeout: d["timeout"] = Ms(Delay); break;
            case ToxicKind.ResetAfter: d["bytes"] = Bytes.ToString(CultureInfo.InvariantCulture); break;
            case ToxicKind.Drop: d["probability"] = Probability.ToString(CultureInfo.InvariantCulture); break;
        }

        return d;
    }

    private static string Ms(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}

/// <summary>Parses a toxic from name → value text, the common form of HOCON (<c>actornet.faults.toxics.NAME</c>),
/// JSON bodies of the admin endpoint and <c>actornet ctl toxic add</c> arguments. Pure; reports every error.</summary>
public static class ToxicParser
{
    /// <summary>Keys a toxic may have.</summary>
    public static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "type", "direction", "listener", "connection", "latency", "jitter", "rate", "delay", "timeout", "bytes", "probability",
    };

    public static string KindName(ToxicKind kind) => kind switch
    {
        ToxicKind.Latency => "latency",
        ToxicKind.Bandwidth => "bandwidth",
        ToxicKind.SlowClose => "slow-close",
        ToxicKind.Timeout => "timeout",
        ToxicKind.ResetAfter => "reset-after",
        _ => "drop",
    };

    /// <summary>Parses one toxic; null and at least one "key: reason" error when it is invalid.</summary>
    public static ToxicSpec? Parse(IReadOnlyDictionary<string, string> values, out List<string> errors)
    {
        errors = new List<string>();
        foreach (var key in values.Keys)
            if (!Keys.Contains(key)) errors.Add($"{key}: unknown key (known: {string.Join(", ", Keys.Order(StringComparer.Ordinal))})");

        var name = values.GetValueOrDefault("name")?.Trim();
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            errors.Add("name: must be non-empty letters, digits, '-' or '_'");

        ToxicKind? kind = values.GetValueOrDefault("type")?.Trim().ToLowerInvariant() switch
        {
            "latency" => ToxicKind.Latency,
            "bandwidth" => ToxicKind.Bandwidth,
            "slow-close" or "slow_close" => ToxicKind.SlowClose,
            "timeout" => ToxicKind.Timeout,
            "reset-after" or "reset_after" or "reset-peer" => ToxicKind.ResetAfter,
            "drop" => ToxicKind.Drop,
            _ => null,
        };
        if (kind is null) errors.Add("type: expected latency, bandwidth, slow-close, timeout, reset-after or drop");

        var direction = ToxicDirection.Downstream;
        switch (values.GetValueOrDefault("direction")?.Trim().ToLowerInvariant())
        {
            case null or "" or "downstream" or "down": break;
            case "upstream" or "up": direction = ToxicDirection.Upstream; break;
            default: errors.Add("direction: expected upstream or downstream"); break;
        }

        var listener = values.GetValueOrDefault("listener")?.Trim();
        if (listener?.Length == 0) listener = null;
        long? connection = null;
        if (values.TryGetValue("connection", out var connectionText))
        {
            if (long.TryParse(connectionText.Trim().TrimStart('c', '-'), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) connection = id;
            else errors.Add("connection: expected a connection id such as 42");
        }

        if ((listener is null) == (connection is null)) errors.Add("listener: give exactly one of listener or connection");

        var spec = new ToxicSpec(name ?? "", kind ?? ToxicKind.Latency, direction, listener, connection);
        switch (kind)
        {
            case ToxicKind.Latency:
                spec = spec with
                {
                    Latency = Duration(values, "latency", errors, required: true),
                    Jitter = Duration(values, "jitter", errors, required: false),
                };
                break;
            case ToxicKind.Bandwidth:
                spec = spec with { RateKiBps = Number(values, "rate", errors, min: 0.001, max: 1e9) };
                break;
            case ToxicKind.SlowClose:
                spec = spec with { Delay = Duration(values, "delay", errors, required: true) };
                break;
            case ToxicKind.Timeout:
                spec = spec with { Delay = Duration(values, "timeout", errors, required: false) };
                break;
            case ToxicKind.ResetAfter:
                spec = spec with { Bytes = (long)Number(values, "bytes", errors, min: 0, max: MaxBytes) };
                break;
            case ToxicKind.Drop:
                spec = spec with { Probability = Number(values, "probability", errors, min: 0, max: 1) };
                break;
        }

        return errors.Count == 0 ? spec : null;
    }

    /// <summary>Longest duration a toxic or chaos mode takes (latency, delay, timeout, interval): beyond it a value is
    /// a typo or an attack (1e300 would overflow TimeSpan; a day-long latency only pins frames in memory).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    /// <summary>Largest reset-after byte count (1 PiB): beyond it the count no longer fits the counters exactly.</summary>
    public const double MaxBytes = 1L << 50;

    /// <summary>A duration from 0 to <see cref="MaxDuration"/>: 250ms, 2s, 1m or a bare number of milliseconds.
    /// NaN, infinities, negative and out-of-range values are refused (never an exception).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim().ToLowerInvariant();
        var (digits, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 1.0),
            _ when text.EndsWith('s') => (text[..^1], 1000.0),
            _ when text.EndsWith('m') => (text[..^1], 60000.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(digits.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0
            || value * scale > MaxDuration.TotalMilliseconds)
            return false;
        duration = TimeSpan.FromMilliseconds(value * scale);
        return true;
    }

    private static TimeSpan Duration(IReadOnlyDictionary<string, string> values, string key, List<string> errors, bool required)
    {
        if (!values.TryGetValue(key, out var text))
        {
            if (required) errors.Add($"{key}: required (a duration such as 200ms)");
            return TimeSpan.Zero;
        }

        if (TryParseDuration(text, out var duration)) return duration;
        errors.Add($"{key}: expected a duration from 0 to {MaxDuration.TotalMinutes:0}m such as 200ms or 2s (got '{Clip(text)}')");
        return TimeSpan.Zero;
    }

    private static double Number(IReadOnlyDictionary<string, string> values, string key, List<string> errors, double min, double max)
    {
        if (!values.TryGetValue(key, out var text))
        {
            errors.Add($"{key}: required");
            return 0;
        }

        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= min && value <= max)
            return value;
        errors.Add($"{key}: expected a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (got '{Clip(text)}')");
        return 0;
    }

    /// <summary>Echoed input is cut short: an error message must not become an amplifier.</summary>
    internal static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
