using System.Text;
using ActorNet.Transport;
using Akka.Actor;
using Akka.IO;

namespace ActorNet.Handlers;

/// <summary>
/// Base class for the protocol actor of one connection. It never touches the socket: it receives decoded frames as
/// <see cref="FrameReceived"/> and answers with <see cref="Send(ByteString)"/> / <see cref="CloseConnection"/>; the
/// connection actor (its parent) owns bytes, framing, buffers and backpressure. If it throws, it is restarted
/// (bounded by supervision.handler-max-restarts within handler-restart-window) while the socket stays open.
/// </summary>
/// <remarks>A derived class needs a public constructor taking a <see cref="HandlerContext"/> to be named in HOCON.</remarks>
public abstract class ConnectionHandler : ReceiveActor
{
    /// <summary>One decoded frame from the client (framing bytes removed).</summary>
    public sealed record FrameReceived(ByteString Data)
    {
        /// <summary>The frame as UTF-8 text (invalid sequences become U+FFFD).</summary>
        public string Text => Encoding.UTF8.GetString(Data.ToReadOnlySpan());
    }

    /// <summary>Sent by the connection when an operator or chaos kills it with mode=crash: the handler throws
    /// <see cref="Faults.InjectedFaultException"/> whatever its state, so supervision restarts it on the same socket.</summary>
    public sealed record InjectedCrash(string Detail);

    protected ConnectionHandler(HandlerContext context) => Handler = context;

    /// <summary>Turns <see cref="InjectedCrash"/> into an exception before any receive (survives Become).</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is InjectedCrash crash)
            throw new Faults.InjectedFaultException("injected crash: " + crash.Detail);
        return base.AroundReceive(receive, message);
    }

    /// <summary>This handler's connection, listener settings and services.</summary>
    protected HandlerContext Handler { get; }

    /// <summary>Queues one frame to the client; the connection adds the framing (e.g. the line ending).</summary>
    protected void Send(ByteString payload) => Handler.ConnectionActor.Tell(new Connection.Send(payload), ActorRefs.NoSender);

    /// <summary>Queues one UTF-8 text frame to the client.</summary>
    protected void Send(string text) => Send(ByteString.FromBytes(Encoding.UTF8.GetBytes(text)));

    /// <summary>Asks the connection to flush what is queued and close (reason HandlerClosed).</summary>
    protected void CloseConnection(string detail) =>
        Handler.ConnectionActor.Tell(new Connection.Close(DisconnectReason.HandlerClosed, detail), ActorRefs.NoSender);
}

/// <summary>Base class for the handler of a UDP listener: receives every datagram as <see cref="DatagramReceived"/>.</summary>
/// <remarks>A derived class needs a public constructor taking a <see cref="DatagramContext"/> to be named in HOCON.</remarks>
public abstract class DatagramHandler : ReceiveActor
{
    /// <summary>One datagram and who sent it.</summary>
    public sealed record DatagramReceived(ByteString Data, System.Net.EndPoint Sender);

    protected DatagramHandler(DatagramContext context) => Handler = context;

    protected DatagramContext Handler { get; }

    /// <summary>Sends one datagram from the listener's socket.</summary>
    protected void SendTo(ByteString data, System.Net.EndPoint target) =>
        Handler.ListenerActor.Tell(new UdpListener.SendDatagram(data, target), ActorRefs.NoSender);
}
