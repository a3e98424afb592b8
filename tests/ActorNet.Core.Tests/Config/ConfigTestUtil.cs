using ActorNet.Config;
using Xunit;

namespace ActorNet.Core.Tests.Config;

internal static class ConfigTestUtil
{
    public static LoadResult Load(string hocon, params string[] overrides)
    {
        var (config, errors) = ConfigSource.Parse(hocon, overrides);
        Assert.Empty(errors);
        return NodeSettingsLoader.Load(config!);
    }

    public static NodeSettings LoadOk(string hocon, params string[] overrides)
    {
        var result = Load(hocon, overrides);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Settings!;
    }

    /// <summary>Asserts that loading fails with an error at exactly <paramref name="path"/> whose reason contains <paramref name="reason"/>.</summary>
    public static ConfigError LoadError(string hocon, string path, string reason)
    {
        var result = Load(hocon);
        Assert.False(result.Ok);
        var error = Assert.Single(result.Errors, e => e.Path == path);
        Assert.Contains(reason, error.Reason);
        return error;
    }

    public static string Listener(string body, string name = "l") => $"actornet.listeners.{name} {{ {body} }}";
}
