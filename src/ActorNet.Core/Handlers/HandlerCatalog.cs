using System.Reflection;
using ActorNet.Config;
using ActorNet.Handlers.BuiltIn;

namespace ActorNet.Handlers;

/// <summary>A handler resolved for one listener: exactly one of the two factories is set, matching its transport.</summary>
public sealed record ResolvedHandler(IHandlerFactory? Stream, IDatagramHandlerFactory? Datagram);

/// <summary>A handler known by a short name (<c>handler = echo</c>).</summary>
/// <param name="Name">the name written in HOCON</param>
/// <param name="Transports">the transports it runs on; any other is a config error</param>
/// <param name="Create">a fresh factory for one listener (an <see cref="IHandlerFactory"/> for tcp/websocket, an
/// <see cref="IDatagramHandlerFactory"/> for udp): factories may cache per-node state, so none is shared between nodes</param>
public sealed record BuiltInHandler(string Name, IReadOnlyList<TransportKind> Transports, Func<TransportKind, object> Create);

/// <summary>
/// The one list of handlers a node knows by name, with the transports each allows, and the resolution of every
/// other <c>handler</c> value as an assembly-qualified type name of a <see cref="ConnectionHandler"/>,
/// <see cref="DatagramHandler"/>, <see cref="IHandlerFactory"/> or <see cref="IDatagramHandlerFactory"/>.
/// Core's own handlers are in <see cref="Default"/>; a host adds its own with <see cref="With"/> (the actornet
/// executable adds <c>irc</c> from ActorNet.Chat, so Core never names chat). Immutable.
/// </summary>
public sealed class HandlerCatalog
{
    private static readonly TransportKind[] Streams = [TransportKind.Tcp, TransportKind.WebSocket];

    private readonly IReadOnlyDictionary<string, BuiltInHandler> _builtIns;

    private HandlerCatalog(IReadOnlyDictionary<string, BuiltInHandler> builtIns, TypeResolver types)
    {
        _builtIns = builtIns;
        Types = types;
    }

    /// <summary>Core's handlers: echo (any transport), broadcast, forward, udp-relay.</summary>
    public static HandlerCatalog Default { get; } = new(new Dictionary<string, BuiltInHandler>(StringComparer.Ordinal)
    {
        ["echo"] = new("echo", [TransportKind.Tcp, TransportKind.WebSocket, TransportKind.Udp],
            t => t == TransportKind.Udp ? new ActorTypeDatagramHandlerFactory(typeof(UdpEchoHandler)) : new ActorTypeHandlerFactory(typeof(EchoHandler))),
        ["broadcast"] = new("broadcast", Streams, _ => new BroadcastHandlerFactory()),
        ["forward"] = new("forward", [TransportKind.Tcp], _ => new ActorTypeHandlerFactory(typeof(ForwardHandler))),
        ["udp-relay"] = new("udp-relay", [TransportKind.Udp], _ => new ActorTypeDatagramHandlerFactory(typeof(UdpRelayHandler))),
    }, TypeResolver.Default);

    /// <summary>A copy of this catalog that also knows <paramref name="handler"/> by name.</summary>
    public HandlerCatalog With(BuiltInHandler handler) =>
        new(new Dictionary<string, BuiltInHandler>(_builtIns, StringComparer.Ordinal) { [handler.Name] = handler }, Types);

    /// <summary>A copy of this catalog that resolves type names through <paramref name="types"/> (e.g. with a plugins folder).</summary>
    public HandlerCatalog WithTypes(TypeResolver types) => new(_builtIns, types);

    /// <summary>How handler type names are found.</summary>
    public TypeResolver Types { get; }

    /// <summary>Why <paramref name="handler"/> cannot run on <paramref name="transport"/> as far as names go (an
    /// unknown name, a built-in on the wrong transport), or null. Type names are checked by <see cref="Resolve"/>.
    /// The config loader reports these with the file's other errors.</summary>
    public string? NameProblem(string handler, TransportKind transport)
    {
        if (_builtIns.TryGetValue(handler, out var builtIn))
            return builtIn.Transports.Contains(transport)
                ? null
                : $"handler '{handler}' does not support transport {Name(transport)} (it needs transport = {string.Join(" or ", builtIn.Transports.Select(Name))})";
        return handler.Contains(',')
            ? null
            : $"unknown handler '{handler}' (expected {string.Join(", ", _builtIns.Keys.Order(StringComparer.Ordinal))} or an assembly-qualified type name \"Namespace.Type, Assembly\")";
    }

    /// <summary>Resolves the handler of <paramref name="listener"/>, or explains why it cannot.</summary>
    public ResolvedHandler? Resolve(ListenerSettings listener, out string? error)
    {
        error = NameProblem(listener.Handler, listener.Transport);
        if (error is not null) return null;
        object? factory;
        var transport = Name(listener.Transport);
        if (_builtIns.TryGetValue(listener.Handler, out var builtIn))
        {
            factory = builtIn.Create(listener.Transport);
        }
        else
        {
            factory = Instantiate(listener.Handler, out error);
            if (factory is null) return null;
        }

        return factory switch
        {
            IHandlerFactory f when listener.IsStream => new ResolvedHandler(f, null),
            IDatagramHandlerFactory f when listener.Transport == TransportKind.Udp => new ResolvedHandler(null, f),
            _ => Fail(out error, $"handler '{listener.Handler}' does not support transport {transport}"),
        };
    }

    private static string Name(TransportKind transport) => transport.ToString().ToLowerInvariant();

    private static ResolvedHandler? Fail(out string? error, string message)
    {
        error = message;
        return null;
    }

    private object? Instantiate(string typeName, out string? error)
    {
        var type = Types.Resolve(typeName, out error);
        if (type is null) return null;

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
