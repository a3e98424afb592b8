using ActorNet.Config;
using ActorNet.Transport;
using Akka.Actor;
using Akka.IO;

namespace ActorNet.Handlers;

/// <summary>Builds the handler actor of each TCP connection of a listener. Name an implementation (with a public
/// parameterless constructor) in HOCON when the handler needs shared services or constructor arguments.</summary>
public interface IHandlerFactory
{
    /// <summary>Shared actors this listener's handlers need; created once, before the listener binds.</summary>
    IEnumerable<ServiceDefinition> Services(ListenerSettings listener) => [];

    /// <summary>Props of the handler for one connection (Akka reuses them when the handler restarts).</summary>
    Props CreateHandler(HandlerContext context);

    /// <summary>Checks the handler's own settings (its <c>options { }</c>, or a section of
    /// <see cref="ListenerSettings.NodeConfig"/>) when the node is validated — by <c>actornet check</c> and before start.</summary>
    IEnumerable<ConfigError> Validate(ListenerSettings listener) => [];

    /// <summary>The listener's settings as this handler wants them applied, before the listener starts — e.g. the
    /// chat service maps its <c>sendq-bytes</c> onto the listener's write-queue limit. Default: unchanged.</summary>
    ListenerSettings Configure(ListenerSettings listener) => listener;

    /// <summary>
    /// The last frame a client gets when the connection itself closes it (slow consumer, frame too long, idle
    /// timeout, too many connections, shutdown), in the handler's protocol — e.g. IRC's <c>ERROR :SendQ exceeded</c>.
    /// Pure and thread-safe: it is called by the connection actor. Null = the default (for line framing a plain
    /// <c>error: …</c> line, otherwise nothing).
    /// </summary>
    ByteString? ErrorFrame(DisconnectReason reason, string message) => null;

    /// <summary>True: the handler takes all the frames of one read as one <see cref="ConnectionHandler.FramesReceived"/>
    /// (see <see cref="IAcceptsFrameBatches"/>). Default false: one <see cref="ConnectionHandler.FrameReceived"/> per frame.</summary>
    bool AcceptsFrameBatches => false;
}

/// <summary>Builds the handler actor of a UDP listener.</summary>
public interface IDatagramHandlerFactory
{
    /// <summary>Shared actors this listener's handler needs; created once, before the listener binds.</summary>
    IEnumerable<ServiceDefinition> Services(ListenerSettings listener) => [];

    Props CreateHandler(DatagramContext context);
}

/// <summary>Factory for a handler actor type with a public constructor taking a <see cref="HandlerContext"/>.</summary>
public sealed class ActorTypeHandlerFactory(Type actorType) : IHandlerFactory
{
    private readonly Func<HandlerContext, ActorBase> _create = ActorProducer.Constructor<HandlerContext>(actorType);

    public Type ActorType { get; } = actorType;

    /// <summary>One per accepted connection: the constructor compiled once per type, no reflection per connection.</summary>
    public Props CreateHandler(HandlerContext context) => ActorProducer.Props(ActorType, () => _create(context));

    public bool AcceptsFrameBatches { get; } = typeof(IAcceptsFrameBatches).IsAssignableFrom(actorType);
}

/// <summary>Factory for a datagram handler actor type with a public constructor taking a <see cref="DatagramContext"/>.</summary>
public sealed class ActorTypeDatagramHandlerFactory(Type actorType) : IDatagramHandlerFactory
{
    public Type ActorType { get; } = actorType;

    public Props CreateHandler(DatagramContext context) => Props.Create(ActorType, context);
}
