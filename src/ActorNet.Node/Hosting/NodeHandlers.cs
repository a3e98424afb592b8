using ActorNet.Chat;
using ActorNet.Config;
using ActorNet.Handlers;

namespace ActorNet.Node.Hosting;

/// <summary>The handlers the actornet executable knows by name: Core's (<see cref="HandlerCatalog.Default"/>) and
/// <c>irc</c> from ActorNet.Chat, registered here so that Core never names the chat assembly.</summary>
public static class NodeHandlers
{
    /// <summary><c>handler = irc</c>: IRC sessions over TCP or WebSocket, sharing the chat service.</summary>
    public static BuiltInHandler Irc { get; } = new("irc", [TransportKind.Tcp, TransportKind.WebSocket], _ => new IrcHandlerFactory());

    /// <summary>Every built-in handler of the node (immutable; each listener gets fresh factories).</summary>
    public static HandlerCatalog Catalog { get; } = HandlerCatalog.Default.With(Irc);

    /// <summary><see cref="Catalog"/>, resolving type names in <c>actornet.plugins.directory</c> too when one is set.</summary>
    public static HandlerCatalog For(NodeSettings settings) =>
        settings.PluginsDirectory is { } directory ? Catalog.WithTypes(new PluginTypeResolver(directory)) : Catalog;
}
