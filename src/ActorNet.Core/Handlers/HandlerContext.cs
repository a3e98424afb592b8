using System.Net;
using ActorNet.Config;
using ActorNet.Transport;
using Akka.Actor;

namespace ActorNet.Handlers;

/// <summary>What a connection handler is given when it is created (and again after every restart).</summary>
/// <param name="Connection">id, listener, endpoints of the connection this handler serves</param>
/// <param name="Listener">the listener's settings, including its free-form <c>options { }</c> block</param>
/// <param name="ConnectionActor">the connection actor (the handler's parent): send it <see cref="Transport.Connection.Send"/> and <see cref="Transport.Connection.Close"/></param>
/// <param name="Services">the node's shared service actors by name (see <see cref="ServiceDefinition"/>)</param>
public sealed record HandlerContext(
    ConnectionInfo Connection,
    ListenerSettings Listener,
    IActorRef ConnectionActor,
    IReadOnlyDictionary<string, IActorRef> Services)
{
    /// <summary>The shared service actor called <paramref name="name"/>; throws if the handler's factory did not declare it.</summary>
    public IActorRef Service(string name) =>
        Services.TryGetValue(name, out var service)
            ? service
            : throw new InvalidOperationException($"service '{name}' is not running; declare it in IHandlerFactory.Services");

    /// <summary>The connection's read credit: <see cref="ConnectionHandler"/> returns what each frame message cost once
    /// it is processed. Null when the handler runs without a connection (tests): nothing is counted.</summary>
    public InputCredit? Credit { get; init; }

    /// <summary>The TLS session of a connection on a listener with <c>tls { }</c> (protocol, SNI, the client
    /// certificate's fingerprint); null on plain connections. The handler of a TLS connection starts after the handshake.</summary>
    public ActorNet.Transport.Tls.TlsSession? Tls { get; init; }
}

/// <summary>What a datagram (UDP) handler is given when it is created.</summary>
/// <param name="Listener">the listener's settings</param>
/// <param name="ListenerActor">the UDP listener actor (the handler's parent): send it <see cref="UdpListener.SendDatagram"/></param>
/// <param name="LocalAddress">the bound local endpoint</param>
/// <param name="Services">the node's shared service actors by name</param>
public sealed record DatagramContext(
    ListenerSettings Listener,
    IActorRef ListenerActor,
    EndPoint LocalAddress,
    IReadOnlyDictionary<string, IActorRef> Services);

/// <summary>A shared, long-lived actor that handlers of a listener need (a relay topic, a chat server, a store).
/// Created once under <c>/user/actornet/services/NAME</c> before any listener binds; definitions with the same name are created once.</summary>
public sealed record ServiceDefinition(string Name, Props Props);
