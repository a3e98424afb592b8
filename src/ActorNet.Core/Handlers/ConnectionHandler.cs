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
/// <remarks>
/// <para>A derived class needs a public constructor taking a <see cref="HandlerContext"/> to be named in HOCON.</para>
/// <para>Frames arrive one message each (<see cref="FrameReceived"/>), unless the handler class implements
/// <see cref="IAcceptsFrameBatches"/>: then all the frames of one socket read come as ONE <see cref="FramesReceived"/>
/// (a read with a single frame stays a <see cref="FrameReceived"/>).</para>
/// </remarks>
public abstract class ConnectionHandler : ReceiveActor
{
    /// <summary>One decoded frame from the client (framing bytes removed).</summary>
    public sealed record FrameReceived(ByteString Data)
    {
        /// <summary>The frame as UTF-8 text (invalid sequences become U+FFFD).</summary>
        public string Text => Encoding.UTF8.GetString(Data.ToReadOnlySpan());
    }

    /// <summary>All the frames of one socket read (two or more), in order; sent only to handlers that implement
    /// <see cref="IAcceptsFrameBatches"/>.</summary>
    /// <remarks>The frames may be slices of one shared read buffer: keep a frame as long as needed, it is immutable,
    /// but a long-lived small frame keeps its whole read (a few KiB) alive; copy it (<c>ByteString.CopyFrom</c>) to
    /// store it for long.</remarks>
    public sealed record FramesReceived(IReadOnlyList<ByteString> Frames);

    /// <summary>From the connection: its write queue passed <c>write-queue-soft-limit-bytes</c> (the client reads more
    /// slowly than it is fed). The connection has paused its own input; a handler fed from elsewhere (an upstream
    /// socket) pauses that source until <see cref="OutputReady"/>. Ignored by default.</summary>
    public sealed record OutputBusy
    {
        public static readonly OutputBusy Instance = new();
    }

    /// <summary>From the connection: its write queue is down to half the soft limit again; input is resumed. Ignored by
    /// default.</summary>
    public sealed record OutputReady
    {
        public static readonly OutputReady Instance = new();
    }

    /// <summary>From the connection: the client half-closed (TCP FIN, <c>shutdown(SHUT_WR)</c>): it sends nothing more
    /// but may still read. Every frame it sent came before this. The handler may keep sending and closes the
    /// connection when done; by default (not handled) the connection is closed at once, after what is queued has been
    /// written, with reason ClientClosed.</summary>
    public sealed record PeerHalfClosed
    {
        public static readonly PeerHalfClosed Instance = new();
    }

    /// <summary>Sent by the connection when an operator or chaos kills it with mode=crash: the handler throws
    /// <see cref="Faults.InjectedFaultException"/> whatever its state, so supervision restarts it on the same socket.</summary>
    public sealed record InjectedCrash(string Detail);

    protected ConnectionHandler(HandlerContext context) => Handler = context;

    /// <summary>Turns <see cref="InjectedCrash"/> into an exception before any receive (survives Become), and
    /// returns the read credit of each frame message from the connection once the handler has processed it (even if
    /// it threw), so that the connection reads on.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is InjectedCrash crash)
            throw new Faults.InjectedFaultException("injected crash: " + crash.Detail);
        var cost = Handler.Credit is null || !Sender.Equals(Handler.ConnectionActor) ? 0 : CreditCost(message);
        if (cost == 0) return base.AroundReceive(receive, message);
        _currentCost = cost;
        _deferred = false;
        try
        {
            return base.AroundReceive(receive, message);
        }
        finally
        {
            _currentCost = 0;
            if (!_deferred) ReturnCredit(cost);
        }
    }

    private long _currentCost;
    private bool _deferred;

    /// <summary>Inside the receive of a frame message: keep its read credit instead of returning it when the receive
    /// returns, and get its cost; give it back later with <see cref="ReturnCredit"/> (e.g. once the frames are written
    /// somewhere slower). While credit is kept the connection reads at most <c>input-credit-bytes</c> ahead. Returns 0
    /// outside a frame message.</summary>
    protected long DeferCredit()
    {
        _deferred = true;
        return _currentCost;
    }

    /// <summary>Gives back read credit kept with <see cref="DeferCredit"/>.</summary>
    protected void ReturnCredit(long cost)
    {
        if (cost > 0 && Handler.Credit is { } credit && credit.Processed(cost))
            Handler.ConnectionActor.Tell(Connection.CreditReturned.Instance, ActorRefs.NoSender);
    }

    /// <summary>Flow-control events the handler does not handle itself get their default here (rather than being
    /// published as unhandled).</summary>
    protected override void Unhandled(object message)
    {
        switch (message)
        {
            case OutputBusy or OutputReady:
                return;
            case PeerHalfClosed:
                CloseAfterHalfClose();
                return;
            default:
                base.Unhandled(message);
                return;
        }
    }

    private static long CreditCost(object message)
    {
        switch (message)
        {
            case FrameReceived f:
                return InputCredit.Cost(1, f.Data.Count);
            case FramesReceived b:
                long bytes = 0;
                foreach (var frame in b.Frames) bytes += frame.Count;
                return InputCredit.Cost(b.Frames.Count, bytes);
            default:
                return 0;
        }
    }

    /// <summary>This handler's connection, listener settings and services.</summary>
    protected HandlerContext Handler { get; }

    /// <summary>Queues one frame to the client; the connection adds the framing (e.g. the line ending).</summary>
    protected void Send(ByteString payload) => Handler.ConnectionActor.Tell(new Connection.Send(payload), ActorRefs.NoSender);

    /// <summary>Queues several frames with one message: framed together, they leave in one write when none is in flight.</summary>
    protected void SendMany(IReadOnlyList<ByteString> payloads) =>
        Handler.ConnectionActor.Tell(new Connection.SendMany(payloads), ActorRefs.NoSender);

    /// <summary>Queues one UTF-8 text frame to the client.</summary>
    protected void Send(string text) => Send(ByteString.FromBytes(Encoding.UTF8.GetBytes(text)));

    /// <summary>Asks the connection to stop reading the client (flow control of the handler's own making, e.g. while
    /// it waits on something slower); frames already read still arrive. Undone by <see cref="ResumeInput"/> (and by a
    /// restart of the handler).</summary>
    protected void PauseInput() => Handler.ConnectionActor.Tell(Connection.PauseInput.Instance, ActorRefs.NoSender);

    /// <summary>Asks the connection to read the client again after <see cref="PauseInput"/>.</summary>
    protected void ResumeInput() => Handler.ConnectionActor.Tell(Connection.ResumeInput.Instance, ActorRefs.NoSender);

    /// <summary>After <see cref="PeerHalfClosed"/>: flush what is queued and close, reason ClientClosed (the client
    /// ended the conversation).</summary>
    protected void CloseAfterHalfClose() =>
        Handler.ConnectionActor.Tell(new Connection.Close(DisconnectReason.ClientClosed, "client half-closed"), ActorRefs.NoSender);

    /// <summary>Asks the connection to flush what is queued and close (reason HandlerClosed).</summary>
    protected void CloseConnection(string detail) =>
        Handler.ConnectionActor.Tell(new Connection.Close(DisconnectReason.HandlerClosed, detail), ActorRefs.NoSender);
}

/// <summary>
/// Marks a <see cref="ConnectionHandler"/> that takes all the frames of one socket read as one
/// <see cref="ConnectionHandler.FramesReceived"/> message (one mailbox message per read instead of one per frame;
/// answer with one <c>SendMany</c>). Every behavior of the handler must handle <see cref="ConnectionHandler.FramesReceived"/>
/// as well as <see cref="ConnectionHandler.FrameReceived"/> (a read with one frame, or frames through an upstream toxic).
/// A factory of its own declares the same with <see cref="IHandlerFactory.AcceptsFrameBatches"/>.
/// </summary>
public interface IAcceptsFrameBatches;

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
