using Akka.Configuration;

namespace ActorNet.Config;

/// <summary>Reads a HOCON file (or text), layers <c>--set key=value</c> overrides on top and ActorNet's reference
/// config below. Never throws on bad input: every problem comes back as a <see cref="ConfigError"/>.</summary>
public static class ConfigSource
{
    /// <summary>Name of the embedded reference config resource (config/actornet.reference.conf).</summary>
    public const string ReferenceResource = "ActorNet.reference.conf";

    /// <summary>ActorNet's defaults, from the embedded config/actornet.reference.conf.</summary>
    public static Akka.Configuration.Config Reference { get; } =
        ConfigurationFactory.FromResource(ReferenceResource, typeof(ConfigSource).Assembly);

    /// <summary>
    /// Loads <paramref name="path"/>, applies each override (a later one wins over an earlier one, all win over the
    /// file) and falls back to the reference config. Errors: missing or unreadable file, HOCON syntax, malformed
    /// override; each error's Path is the file path (or "--set").
    /// </summary>
    public static (Akka.Configuration.Config? Config, IReadOnlyList<ConfigError> Errors) Load(string path, IEnumerable<string> overrides)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException
                ? $"file not found (working directory {Environment.CurrentDirectory})"
                : "cannot read the file: " + e.Message;
            return (null, [new ConfigError(path, reason)]);
        }

        return Parse(text, overrides, path);
    }

    /// <summary>Same as <see cref="Load"/>, from HOCON text instead of a file (tests, embedding).</summary>
    public static (Akka.Configuration.Config? Config, IReadOnlyList<ConfigError> Errors) Parse(string hocon, IEnumerable<string>? overrides = null) =>
        Parse(hocon, overrides, "<config>");

    private static (Akka.Configuration.Config? Config, IReadOnlyList<ConfigError> Errors) Parse(string hocon, IEnumerable<string>? overrides, string source)
    {
        var errors = new List<ConfigError>();
        Akka.Configuration.Config? file = null;
        if (HoconSyntaxCheck.Check(hocon) is { } syntax)
        {
            errors.Add(new ConfigError(source, "HOCON syntax: " + syntax));
        }
        else
        {
            try
            {
                file = ConfigurationFactory.ParseString(hocon);
                if (HoconSyntaxCheck.CheckTree(file) is { } broken)
                {
                    errors.Add(new ConfigError(source, "HOCON: " + broken));
                    file = null;
                }
            }
            catch (Exception e)
            {
                errors.Add(new ConfigError(source, "HOCON syntax: " + e.Message.Split('\n')[0].Trim()));
            }
        }

        var layered = new List<Akka.Configuration.Config>();
        foreach (var entry in overrides ?? [])
        {
            var parsed = ParseOverride(entry, out var error);
            if (parsed is null) errors.Add(new ConfigError("--set", error!));
            else layered.Add(parsed);
        }

        if (errors.Count > 0 || file is null) return (null, errors);

        var config = file;
        foreach (var layer in layered) config = layer.WithFallback(config);
        return (WithReference(config), errors);
    }

    /// <summary><paramref name="config"/> with the reference config as its last fallback (once).</summary>
    public static Akka.Configuration.Config WithReference(Akka.Configuration.Config config)
    {
        for (var c = config; c is not null; c = c.Fallback)
            if (ReferenceEquals(c, Reference)) return config;
        return config.IsEmpty ? Reference : config.WithFallback(Reference);
    }

    /// <summary>One <c>key=value</c>: the value is HOCON (number, duration, quoted string, object…) or, if it does not
    /// parse as such, a plain string.</summary>
    private static Akka.Configuration.Config? ParseOverride(string entry, out string? error)
    {
        error = null;
        var eq = entry.IndexOf('=');
        if (eq <= 0)
        {
            error = $"'{entry}' is not key=value";
            return null;
        }

        var key = entry[..eq].Trim();
        var value = entry[(eq + 1)..].Trim();
        if (key.Length == 0 || key.Any(char.IsWhiteSpace))
        {
            error = $"'{entry}': the key must be a HOCON path without spaces";
            return null;
        }

        foreach (var candidate in new[] { value, Quote(value) })
        {
            try
            {
                var text = $"{key} = {candidate}";
                if (HoconSyntaxCheck.Check(text) is not null) continue;
                var config = ConfigurationFactory.ParseString(text);
                if (HoconSyntaxCheck.CheckTree(config) is null && config.HasPath(key)) return config;
            }
            catch (Exception)
            {
                // try the quoted form next
            }
        }

        error = $"'{entry}': cannot parse the value";
        return null;
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
