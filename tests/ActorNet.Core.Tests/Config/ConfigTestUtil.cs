using ActorNet.Config;
using ActorNet.Handlers;
using Xunit;

namespace ActorNet.Core.Tests.Config;

internal static class ConfigTestUtil
{
    /// <summary>Core's handlers and a stand-in for the executable's <c>irc</c> (ActorNet.Chat is not referenced here):
    /// the loader checks handler names and transports against it.</summary>
    public static readonly HandlerCatalog Catalog = HandlerCatalog.Default.With(
        new BuiltInHandler("irc", [TransportKind.Tcp, TransportKind.WebSocket], _ => new ActorTypeHandlerFactory(typeof(ActorNet.Handlers.BuiltIn.EchoHandler))));

    public static LoadResult Load(string hocon, params string[] overrides)
    {
        var (config, errors) = ConfigSource.Parse(hocon, overrides);
        Assert.Empty(errors);
        return NodeSettingsLoader.Load(config!, Catalog);
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
