using System.Text;
using ActorNet.Transport;
using Akka.Actor;
using Akka.Dispatch;
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
/// <para>The connection sends all the frames of one socket read as ONE <see cref="FramesReceived"/> message (a read
/// with a single frame stays a <see cref="FrameReceived"/>). Unless a handler opts in with
/// <see cref="AcceptsFrameBatches"/>, this base class unpacks the batch and hands every frame, in order, to the
/// behavior current at that frame as a <see cref="FrameReceived"/> (a <c>Become</c> while handling one frame applies to
/// the next), exactly as if each frame had been its own message: <c>Sender</c>, <c>Stash()</c> and
/// <see cref="AroundReceive"/> see the single frame.</para>
/// </remarks>
public abstract class ConnectionHandler : ReceiveActor
{
    /// <summary>One decoded frame from the client (framing bytes removed).</summary>
    public sealed record FrameReceived(ByteString Data)
    {
        /// <summary>The frame as UTF-8 text (invalid sequences become U+FFFD).</summary>
        public string Text => Encoding.UTF8.GetString(Data.ToReadOnlySpan());
    }

    /// <summary>All the frames of one socket read (two or more), in order. A handler receives it only if it
    /// overrides <see cref="AcceptsFrameBatches"/> to return true and its current behavior handles it; otherwise the
    /// frames arrive one by one as <see cref="FrameReceived"/>.</summary>
    /// <remarks>The frames may be slices of one shared read buffer: keep a frame as long as needed, it is immutable,
    /// but a long-lived small frame keeps its whole read (a few KiB) alive; copy it (<c>ByteString.CopyFrom</c>) to
    /// store it for long.</remarks>
    public sealed record FramesReceived(IReadOnlyList<ByteString> Frames);

    /// <summary>Sent by the connection when an operator or chaos kills it with mode=crash: the handler throws
    /// <see cref="Faults.InjectedFaultException"/> whatever its state, so supervision restarts it on the same socket.</summary>
    public sealed record InjectedCrash(string Detail);

    private FramesReceived? _offered;
    private bool _offeredUnhandled;

    protected ConnectionHandler(HandlerContext context) => Handler = context;

    /// <summary>
    /// True: a <see cref="FramesReceived"/> batch is offered whole to the current behavior (answer it with
    /// <see cref="SendMany"/>); a behavior without a case for it (the batch reaches <see cref="Unhandled"/>) still gets
    /// the frames one by one. False (default): frames always arrive one by one as <see cref="FrameReceived"/>.
    /// Opt in only if every behavior either handles <see cref="FramesReceived"/> or has no catch-all
    /// (<c>ReceiveAny</c>, <c>Receive&lt;object&gt;</c>) that would swallow it, and call <c>base.Unhandled</c> from an
    /// <see cref="Unhandled"/> override.
    /// </summary>
    protected virtual bool AcceptsFrameBatches => false;

    /// <summary>Turns <see cref="InjectedCrash"/> into an exception before any receive (survives Become), and unpacks
    /// a <see cref="FramesReceived"/> batch the handler does not take whole.</summary>
    protected override bool AroundReceive(Receive receive, object message)
    {
        switch (message)
        {
            case InjectedCrash crash:
                throw new Faults.InjectedFaultException("injected crash: " + crash.Detail);
            case FramesReceived batch:
                if (AcceptsFrameBatches && OfferBatch(receive, batch))
                    return true;
                Unpack(batch);
                return true;
            default:
                return base.AroundReceive(receive, message);
        }
    }

    /// <summary>Records that an offered batch was not handled (so it is unpacked); everything else goes to the base.</summary>
    protected override void Unhandled(object message)
    {
        if (_offered is not null && ReferenceEquals(message, _offered))
        {
            _offeredUnhandled = true;
            return;
        }

        base.Unhandled(message);
    }

    /// <returns>true when the current behavior handled the batch</returns>
    private bool OfferBatch(Receive receive, FramesReceived batch)
    {
        _offered = batch;
        _offeredUnhandled = false;
        try
        {
            return base.AroundReceive(receive, batch) && !_offeredUnhandled;
        }
        finally
        {
            _offered = null;
        }
    }

    /// <summary>
    /// Delivers each frame as if it were its own message. The <c>receive</c> delegate given to
    /// <see cref="AroundReceive"/> is the behavior current when the batch arrived, so it cannot be reused once a frame
    /// made the handler <c>Become</c> another behavior. Two mechanisms, both public Akka API:
    /// <list type="bullet">
    /// <item>A handler with a deque-based mailbox (every <c>IWithUnboundedStash</c> handler has one) gets the frames put
    /// back at the FRONT of its mailbox, in order (what <c>UnstashAll</c> does): each is then a real message, so a frame
    /// stashed and unstashed mid-batch is handled before the batch's later frames, exactly as before batching.</item>
    /// <item>Otherwise each frame goes through <c>ActorCell.ReceiveMessageForTest</c>, the cell's entry for processing one
    /// message synchronously: it looks up the current behavior for every frame, sets CurrentMessage and Sender, and
    /// calls AroundReceive as the mailbox does. An exception from one frame propagates (supervision restarts the
    /// handler, as for a single frame); the frames after it in the same read are then dropped with it.</item>
    /// </list>
    /// </summary>
    private void Unpack(FramesReceived batch)
    {
        var cell = (ActorCell)Context;
        var sender = Sender;
        var frames = batch.Frames;
        if (cell.Mailbox?.MessageQueue is IDequeBasedMessageQueueSemantics deque)
        {
            for (int i = frames.Count - 1; i >= 0; i--)
                deque.EnqueueFirst(new Envelope(new FrameReceived(frames[i]), sender));
            return;
        }

        for (int i = 0; i < frames.Count; i++)
            cell.ReceiveMessageForTest(new Envelope(new FrameReceived(frames[i]), sender));
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
