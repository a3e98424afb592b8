namespace ActorNet.Config;

/// <summary>ActorNet's reference configuration (config/actornet.reference.conf, embedded as "ActorNet.reference.conf").</summary>
public static class ReferenceConfig
{
    /// <summary>The logical name of the embedded resource.</summary>
    public const string ResourceName = "ActorNet.reference.conf";

    private static readonly Lazy<string> TextCache = new(ReadResource);
    private static readonly Lazy<Akka.Configuration.Config> ConfigCache = new(ParseText);

    /// <summary>The reference HOCON text, every key with its default and a comment.</summary>
    public static string Text => TextCache.Value;

    /// <summary>The parsed reference configuration: the lowest fallback of every node config.</summary>
    public static Akka.Configuration.Config Config => ConfigCache.Value;

    private static string ReadResource()
    {
        using var stream = typeof(ReferenceConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from ActorNet.Core");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static Akka.Configuration.Config ParseText() =>
        HoconText.TryParse(Text, out var error)
        ?? throw new InvalidOperationException($"embedded {ResourceName} is invalid: {error}");
}
