using System.Collections;

namespace ActorNet.Config;

/// <summary>Collects configuration errors and reads typed values without ever throwing: a value of the wrong type
/// becomes an error naming its path, and the caller gets null.</summary>
internal sealed class ConfigErrors : IReadOnlyList<ConfigError>
{
    private readonly List<ConfigError> _errors = new();

    public int Count => _errors.Count;

    public ConfigError this[int index] => _errors[index];

    public void Add(string path, string reason) => _errors.Add(new ConfigError(path, reason));

    public IEnumerator<ConfigError> GetEnumerator() => _errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Every key of the object at <paramref name="path"/> (as the user wrote it) must be in <paramref name="known"/>.</summary>
    public void UnknownKeys(Akka.Configuration.Config given, string path, IReadOnlySet<string> known)
    {
        foreach (var key in NodeSettingsLoader.KeysOf(given, path))
            if (!known.Contains(key))
                Add($"{path}.{key}", Closest(key, known) is { } guess
                    ? $"unknown key; did you mean '{guess}'?"
                    : $"unknown key (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
    }

    /// <summary>The known key within edit distance 2 of a typo, if exactly one is closest.</summary>
    internal static string? Closest(string key, IEnumerable<string> known)
    {
        var best = known.Select(k => (Key: k, Distance: EditDistance(key, k))).Where(x => x.Distance <= 2)
            .OrderBy(x => x.Distance).ThenBy(x => x.Key, StringComparer.Ordinal).ToList();
        return best.Count > 0 && (best.Count == 1 || best[0].Distance < best[1].Distance) ? best[0].Key : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    public void UnknownKeys(Akka.Configuration.Config given, string path, HashSet<string> known) =>
        UnknownKeys(given, path, (IReadOnlySet<string>)known);

    public string? String(Akka.Configuration.Config section, string prefix, string key) =>
        Read(prefix, key, () => section.HasPath(key) ? section.GetString(key) : null);

    public bool? Bool(Akka.Configuration.Config section, string prefix, string key) =>
        Read<bool?>(prefix, key, () => section.GetBoolean(key), "expected true or false");

    public int? Int(Akka.Configuration.Config section, string prefix, string key) =>
        Read<int?>(prefix, key, () => section.GetInt(key), "expected a whole number");

    public double? Double(Akka.Configuration.Config section, string prefix, string key) =>
        Finite(prefix, key, Read<double?>(prefix, key, () => section.GetDouble(key), "expected a number"));

    /// <summary>Longest duration any key takes: timers take at most ~24.8 days (int milliseconds), and nothing in a
    /// node needs longer. Beyond it (or 1e300s, which overflows TimeSpan) is an error, never an exception later.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(24);

    public IReadOnlyList<string>? StringList(Akka.Configuration.Config section, string prefix, string key) =>
        Read<IReadOnlyList<string>?>(prefix, key, () => section.HasPath(key) ? section.GetStringList(key).ToList() : null, "expected a list such as [a, b]");

    public long? Bytes(Akka.Configuration.Config section, string prefix, string key) =>
        Read(prefix, key, () => section.GetByteSize(key) ?? (section.HasPath(key) ? throw new FormatException("not a size") : null), "expected a size such as 512, 64KiB or 1MiB");

    public TimeSpan? Duration(Akka.Configuration.Config section, string prefix, string key)
    {
        var value = Read<TimeSpan?>(prefix, key, () => section.GetTimeSpan(key, null, allowInfinite: false), "expected a duration such as 250ms, 10s or 2m");
        if (value is not { } d || d <= MaxDuration) return value;
        Add($"{prefix}.{key}", $"must be at most {MaxDuration.TotalDays:0}d (got {d})");
        return null;
    }

    private double? Finite(string prefix, string key, double? value)
    {
        if (value is not { } v || double.IsFinite(v)) return value;
        Add($"{prefix}.{key}", $"expected a finite number (got {v})");
        return null;
    }

    private T? Read<T>(string prefix, string key, Func<T?> read, string? expected = null)
    {
        try
        {
            return read();
        }
        catch (Exception e)
        {
            Add($"{prefix}.{key}", expected is null ? e.Message : $"{expected} ({Describe(e)})");
            return default;
        }
    }

    private static string Describe(Exception e) => e.Message.Length > 120 ? e.Message[..120] + "…" : e.Message;
}
