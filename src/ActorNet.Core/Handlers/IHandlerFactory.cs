using ActorNet.Config;
using Akka.Actor;

namespace ActorNet.Handlers;

/// <summary>Builds the handler actor of each TCP connection of a listener. Name an implementation (with a public
/// parameterless constructor) in HOCON when the handler needs shared services or constructor arguments.</summary>
public interface IHandlerFactory
{
    /// <summary>Shared actors this listener's handlers need; created once, before the listener binds.</summary>
    IEnumerable<ServiceDefinition> Services(ListenerSettings listener) => [];

    /// <summary>Props of the handler for one connection (called again after each handler restart is NOT needed: Akka reuses the Props).</summary>
    Props CreateHandler(HandlerContext context);
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
    public Type ActorType { get; } = actorType;

    public Props CreateHandler(HandlerContext context) => Props.Create(ActorType, context);
}

/// <summary>Factory for a datagram handler actor type with a public constructor taking a <see cref="DatagramContext"/>.</summary>
public sealed class ActorTypeDatagramHandlerFactory(Type actorType) : IDatagramHandlerFactory
{
    public Type ActorType { get; } = actorType;

    public Props CreateHandler(DatagramContext context) => Props.Create(ActorType, context);
}
