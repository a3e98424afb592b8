using System.Reflection;
using ActorNet.Config;
using ActorNet.Handlers.BuiltIn;

namespace ActorNet.Handlers;

/// <summary>A handler resolved for one listener: exactly one of the two factories is set, matching its transport.</summary>
public sealed record ResolvedHandler(IHandlerFactory? Stream, IDatagramHandlerFactory? Datagram);

/// <summary>
/// Maps the <c>handler</c> value of a listener to a factory: a built-in name (echo, broadcast, forward, udp-relay,
/// irc) or an assembly-qualified type name of a <see cref="ConnectionHandler"/>, <see cref="DatagramHandler"/>,
/// <see cref="IHandlerFactory"/> or <see cref="IDatagramHandlerFactory"/>. Immutable.
/// </summary>
public sealed class HandlerCatalog
{
    private readonly IReadOnlyDictionary<string, Func<TransportKind, object?>> _builtIns;

    private HandlerCatalog(IReadOnlyDictionary<string, Func<TransportKind, object?>> builtIns) => _builtIns = builtIns;

    /// <summary>The catalog with ActorNet's built-in handlers.</summary>
    public static HandlerCatalog CreateDefault() => new(new Dictionary<string, Func<TransportKind, object?>>(StringComparer.Ordinal)
    {
        ["echo"] = t => IsStream(t) ? new ActorTypeHandlerFactory(typeof(EchoHandler)) : new ActorTypeDatagramHandlerFactory(typeof(UdpEchoHandler)),
        ["broadcast"] = t => IsStream(t) ? new BroadcastHandlerFactory() : null,
        ["forward"] = t => t == TransportKind.Tcp ? new ActorTypeHandlerFactory(typeof(ForwardHandler)) : null,
        ["udp-relay"] = t => t == TransportKind.Udp ? new ActorTypeDatagramHandlerFactory(typeof(UdpRelayHandler)) : null,
        // The chat service lives in ActorNet.Chat; it is found by type name so Core does not depend on it.
        ["irc"] = t => IsStream(t) ? ResolveType("ActorNet.Chat.IrcHandlerFactory, ActorNet.Chat", out _) : null,
    });

    /// <summary>A copy of this catalog with one more built-in name (e.g. for a host that ships its own handlers).</summary>
    public HandlerCatalog With(string name, IHandlerFactory factory) =>
        new(new Dictionary<string, Func<TransportKind, object?>>(_builtIns) { [name] = t => IsStream(t) ? factory : null });

    public IReadOnlyCollection<string> BuiltInNames => _builtIns.Keys.ToArray();

    /// <summary>Resolves the handler of <paramref name="listener"/>, or explains why it cannot.</summary>
    public ResolvedHandler? Resolve(ListenerSettings listener, out string? error)
    {
        error = null;
        object? factory;
        if (_builtIns.TryGetValue(listener.Handler, out var builtIn))
        {
            factory = builtIn(listener.Transport);
            if (factory is null)
            {
                error = $"handler '{listener.Handler}' does not support transport {listener.Transport.ToString().ToLowerInvariant()}";
                return null;
            }
        }
        else
        {
            factory = ResolveType(listener.Handler, out error);
            if (factory is null) return null;
        }

        return factory switch
        {
            IHandlerFactory f when listener.IsStream => new ResolvedHandler(f, null),
            IDatagramHandlerFactory f when listener.Transport == TransportKind.Udp => new ResolvedHandler(null, f),
            _ => Fail(out error, $"handler '{listener.Handler}' does not support transport {listener.Transport.ToString().ToLowerInvariant()}"),
        };
    }

    /// <summary>tcp and websocket carry connections (stream handlers); udp carries datagrams.</summary>
    private static bool IsStream(TransportKind transport) => transport != TransportKind.Udp;

    private static ResolvedHandler? Fail(out string? error, string message)
    {
        error = message;
        return null;
    }

    private static object? ResolveType(string typeName, out string? error)
    {
        error = null;
        Type? type;
        try
        {
            type = Type.GetType(typeName, throwOnError: false);
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException or ArgumentException)
        {
            error = $"cannot load handler type '{typeName}': {e.Message}";
            return null;
        }

        if (type is null)
        {
            error = $"handler type '{typeName}' not found (give \"Namespace.Type, Assembly\" and put the assembly next to actornet)";
            return null;
        }

        if (typeof(ConnectionHandler).IsAssignableFrom(type) && !type.IsAbstract)
            return HasContextConstructor(type, typeof(HandlerContext), ref error) ? new ActorTypeHandlerFactory(type) : null;
        if (typeof(DatagramHandler).IsAssignableFrom(type) && !type.IsAbstract)
            return HasContextConstructor(type, typeof(DatagramContext), ref error) ? new ActorTypeDatagramHandlerFactory(type) : null;
        if (typeof(IHandlerFactory).IsAssignableFrom(type) || typeof(IDatagramHandlerFactory).IsAssignableFrom(type))
        {
            if (type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
            {
                error = $"handler factory '{type.FullName}' needs a public parameterless constructor";
                return null;
            }

            try
            {
                return Activator.CreateInstance(type);
            }
            catch (TargetInvocationException e)
            {
                error = $"handler factory '{type.FullName}' failed to construct: {e.InnerException?.Message}";
                return null;
            }
        }

        error = $"type '{type.FullName}' is not a ConnectionHandler, DatagramHandler, IHandlerFactory or IDatagramHandlerFactory";
        return null;
    }

    private static bool HasContextConstructor(Type type, Type contextType, ref string? error)
    {
        if (type.GetConstructor([contextType]) is not null) return true;
        error = $"handler '{type.FullName}' needs a public constructor taking a {contextType.Name}";
        return false;
    }
}
