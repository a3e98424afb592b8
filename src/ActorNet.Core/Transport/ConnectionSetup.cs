using ActorNet.Config;
using ActorNet.Handlers;
using Akka.Actor;

namespace ActorNet.Transport;

/// <summary>Everything a <see cref="Connection"/> actor is created with.</summary>
/// <param name="Info">identity of the connection</param>
/// <param name="Socket">the Akka.IO connection actor (the sender of Tcp.Connected)</param>
/// <param name="Listener">listener settings: framing, limits, timeouts</param>
/// <param name="Supervision">handler restart budget</param>
/// <param name="Handler">builds the protocol handler child</param>
/// <param name="Services">shared service actors by name</param>
/// <param name="Rejected">when set, the connection is refused: told why (where the framing allows) and closed at once</param>
public sealed record ConnectionSetup(
    ConnectionInfo Info,
    IActorRef Socket,
    ListenerSettings Listener,
    SupervisionSettings Supervision,
    IHandlerFactory Handler,
    IReadOnlyDictionary<string, IActorRef> Services,
    DisconnectReason? Rejected = null);
