using System.Globalization;
using Akka.Configuration.Hocon;

namespace ActorNet.Config;

/// <summary>
/// Typed, exception-free reads from one HOCON object. Every problem becomes a <see cref="ConfigError"/> in the
/// shared list and the read returns null, so a loader can carry on and report every error at once.
/// </summary>
/// <param name="Config">the object read from (may carry fallbacks)</param>
/// <param name="PathOf">maps a key to the HOCON path reported in errors</param>
/// <param name="Errors">where problems are collected</param>
internal sealed record ConfigReader(Akka.Configuration.Config Config, Func<string, string> PathOf, List<ConfigError> Errors)
{
    /// <summary>A reader whose error paths are <paramref name="basePath"/>.key.</summary>
    public static ConfigReader At(Akka.Configuration.Config config, string basePath, List<ConfigError> errors) =>
        new(config, key => $"{basePath}.{key}", errors);

    public void Error(string key, string reason) => Errors.Add(new ConfigError(PathOf(key), reason));

    /// <summary>The keys this object holds (own and fallback), in file order.</summary>
    public IReadOnlyList<string> Keys => KeysOf(Config);

    public static IReadOnlyList<string> KeysOf(Akka.Configuration.Config? config) =>
        config is null || config.IsEmpty || !config.Root.IsObject() ? [] : [.. config.Root.GetObject().Items.Keys];

    /// <summary>Reports every key not in <paramref name="known"/> as unknown.</summary>
    public void RejectUnknownKeys(IEnumerable<string> keys, IReadOnlySet<string> known)
    {
        foreach (var key in keys)
            if (!known.Contains(key))
                Error(key, $"unknown key '{key}' (expected one of: {string.Join(", ", known)})");
    }

    /// <summary>The raw scalar text at <paramref name="key"/>; errors when missing (if required) or not a scalar.</summary>
    public string? Scalar(string key, bool required = true)
    {
        HoconValue? value;
        try
        {
            value = Config.HasPath(key) ? Config.GetValue(key) : null;
        }
        catch (Exception e)
        {
            Error(key, e.Message);
            return null;
        }
        if (value is null || value.Values.Count == 0)
        {
            if (required) Error(key, "is required");
            return null;
        }
        if (value.IsObject()) { Error(key, "expected a value, got an object { }"); return null; }
        if (value.IsArray()) { Error(key, "expected a value, got a list [ ]"); return null; }
        return value.GetString() ?? "";
    }

    /// <summary>The sub-object at <paramref name="key"/>, or an empty Config when absent; null (with an error) when not an object.</summary>
    public Akka.Configuration.Config? Object(string key)
    {
        if (!Config.HasPath(key)) return Akka.Configuration.Config.Empty;
        var value = Config.GetValue(key);
        if (value is null || value.Values.Count == 0) return Akka.Configuration.Config.Empty;
        if (!value.IsObject())
        {
            Error(key, "expected an object { }");
            return null;
        }
        return Config.GetConfig(key) ?? Akka.Configuration.Config.Empty;
    }

    public string? String(string key, bool required = true) => Scalar(key, required);

    public int? Int(string key)
    {
        var text = Scalar(key);
        if (text is null) return null;
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        Error(key, $"expected an integer, got '{text}'");
        return null;
    }

    public bool? Bool(string key)
    {
        var text = Scalar(key);
        if (text is null) return null;
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "on" or "yes": return true;
            case "false" or "off" or "no": return false;
            default:
                Error(key, $"expected true or false, got '{text}'");
                return null;
        }
    }

    /// <summary>A duration with a unit (250ms, 5s, 2m); a plain number is milliseconds, as in Akka.</summary>
    public TimeSpan? Duration(string key)
    {
        var text = Scalar(key);
        if (text is null) return null;
        try
        {
            var span = Config.GetTimeSpan(key, null, false);
            if (span < TimeSpan.Zero)
            {
                Error(key, $"must not be negative, got '{text}'");
                return null;
            }
            return span;
        }
        catch (Exception)
        {
            Error(key, $"expected a duration such as 250ms, 5s or 2m, got '{text}'");
            return null;
        }
    }

    /// <summary>A byte size (64KiB, 1MiB, 512); a plain number is bytes, as in Akka.</summary>
    public long? ByteSize(string key)
    {
        var text = Scalar(key);
        if (text is null) return null;
        try
        {
            var size = Config.GetByteSize(key);
            if (size is null) throw new FormatException();
            return size.Value;
        }
        catch (Exception)
        {
            Error(key, $"expected a byte size such as 512, 64KiB or 1MiB, got '{text}'");
            return null;
        }
    }

    /// <summary>One of <paramref name="choices"/> (ordinal match unless <paramref name="ignoreCase"/>).</summary>
    public T? Choice<T>(string key, IReadOnlyDictionary<string, T> choices, bool ignoreCase = false) where T : struct
    {
        var text = Scalar(key);
        if (text is null) return null;
        var trimmed = text.Trim();
        foreach (var (name, value) in choices)
            if (string.Equals(name, trimmed, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                return value;
        Error(key, $"unknown value '{text}' (expected {string.Join(" | ", choices.Keys)})");
        return null;
    }
}
