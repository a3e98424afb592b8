using System.Net;
using ActorNet.Config;
using ActorNet.Handlers;
using Akka.Actor;

namespace ActorNet.Transport;

/// <summary>Everything a listener actor (<see cref="TcpListener"/> or <see cref="UdpListener"/>) is created with.</summary>
public sealed record ListenerSetup(
    ListenerSettings Settings,
    SupervisionSettings Supervision,
    ResolvedHandler Handler,
    IReadOnlyDictionary<string, IActorRef> Services,
    ConnectionIdGenerator Ids)
{
    /// <summary>The endpoint to bind: an IP literal, or localhost (= 127.0.0.1).</summary>
    public IPEndPoint BindEndpoint => new(ParseHost(Settings.Host), Settings.Port);

    public static IPAddress ParseHost(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" => IPAddress.Any,
        _ => IPAddress.Parse(host.Trim('[', ']')),
    };
}

/// <summary>Thrown inside a listener actor when its bind fails; its supervisor re-creates it after a backoff.</summary>
public sealed class BindFailedException(string listener, EndPoint endpoint, string cause)
    : Exception($"listener {listener} could not bind {endpoint}: {cause}")
{
    public string Listener { get; } = listener;
}
