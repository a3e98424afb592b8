using System.Text.RegularExpressions;

namespace ActorNet.Config;

/// <summary>Reads a HOCON file and layers <c>--set key=value</c> overrides on top.</summary>
public static partial class ConfigSource
{
    /// <summary>The ConfigError path used for problems with an override.</summary>
    public const string OverridePath = "--set";

    /// <summary>
    /// Loads <paramref name="path"/>, applies each override (highest priority first is the last one given),
    /// and falls back to ActorNet's reference config. Errors: file missing/unreadable, HOCON syntax, malformed override;
    /// each ConfigError's Path is the file path (or "--set") and Reason explains.
    /// </summary>
    public static (Akka.Configuration.Config? Config, IReadOnlyList<ConfigError> Errors) Load(string path, IEnumerable<string> overrides)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException
                                      or System.Security.SecurityException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : $"cannot read file: {e.Message}";
            var errors = new List<ConfigError> { new(path, reason) };
            ParseOverrides(overrides, errors); // report bad overrides in the same pass
            return (null, errors);
        }
        return Build(text, path, overrides);
    }

    /// <summary>Same as Load, from HOCON text instead of a file (tests, ActorNet.Testing). Syntax errors use the path "&lt;hocon&gt;".</summary>
    public static (Akka.Configuration.Config? Config, IReadOnlyList<ConfigError> Errors) Parse(string hocon, IEnumerable<string>? overrides = null)
        => Build(hocon, "<hocon>", overrides);

    private static (Akka.Configuration.Config?, IReadOnlyList<ConfigError>) Build(string text, string origin, IEnumerable<string>? overrides)
    {
        var errors = new List<ConfigError>();
        var file = HoconText.TryParse(text, out var syntaxError);
        if (file is null) errors.Add(new ConfigError(origin, syntaxError ?? "invalid HOCON"));
        var layers = ParseOverrides(overrides, errors);
        if (errors.Count > 0 || file is null) return (null, errors);

        var merged = file;
        foreach (var layer in layers) merged = layer.WithFallback(merged);
        return (merged.WithFallback(ReferenceConfig.Config), errors);
    }

    private static List<Akka.Configuration.Config> ParseOverrides(IEnumerable<string>? overrides, List<ConfigError> errors)
    {
        var layers = new List<Akka.Configuration.Config>();
        foreach (var item in overrides ?? [])
        {
            var layer = ParseOverride(item ?? "", out var error);
            if (layer is not null) layers.Add(layer);
            else errors.Add(new ConfigError(OverridePath, error!));
        }
        return layers;
    }

    /// <summary>Parses one "key=value" as HOCON <c>key = value</c>; a value that does not parse is taken as a quoted string.</summary>
    internal static Akka.Configuration.Config? ParseOverride(string item, out string? error)
    {
        var eq = item.IndexOf('=');
        if (eq < 0)
        {
            error = $"malformed override '{item}' (expected key=value)";
            return null;
        }
        var key = item[..eq].Trim();
        var value = item[(eq + 1)..].Trim();
        if (!KeyPattern().IsMatch(key))
        {
            error = $"malformed override '{item}': '{key}' is not a key path (e.g. actornet.logging.level)";
            return null;
        }
        error = null;
        var parsed = value.Length == 0 ? null : HoconText.TryParse($"{key} = {value}", out _);
        if (parsed is not null && parsed.HasPath(key)) return parsed;
        var quoted = HoconText.TryParse($"{key} = {Quote(value)}", out var quotedError);
        if (quoted is not null) return quoted;
        error = $"cannot parse override '{item}': {quotedError}";
        return null;
    }

    private static string Quote(string value)
    {
        var escaped = value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
        return $"\"{escaped}\"";
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")]
    private static partial Regex KeyPattern();
}
