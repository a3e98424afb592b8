using ActorNet.Framing;
using Akka.Actor;
using Akka.IO;

namespace ActorNet.Transport;

/// <summary>
/// The write side of one Akka.IO TCP socket, shared by <see cref="Connection"/> (accepted sockets) and the forward
/// handler's upstream link (outbound sockets): a bounded <see cref="OutboundQueue"/>, at most one
/// <see cref="Tcp.Write"/> in flight, and the ack that releases the next coalesced write. The owner actor forwards
/// <see cref="Ack"/> to <see cref="OnAck"/>; everything else it does through the methods here, so the rule "one
/// write in flight, the rest coalesced, never past the limit" lives in one place.
/// </summary>
/// <remarks>
/// This is the seam below the framing on the way out: the writer only ever sees framed bytes and hands them to
/// <see cref="Socket"/>, or to a <see cref="Sink"/> that transforms them (TLS) and acks in the socket's place.
/// </remarks>
public sealed class AckWriter : IDisposable
{
    /// <summary>The ack token of every write (one instance; Akka.IO sends it back to the writer's owner).</summary>
    public sealed class Ack : Tcp.Event
    {
        public static readonly Ack Instance = new();

        private Ack()
        {
        }
    }

    private readonly OutboundQueue _queue;
    private readonly IFrameEncoder _encoder;
    private readonly ConnectionCounters? _counters;

    /// <param name="socket">the Akka.IO connection actor (may be set later, see <see cref="Socket"/>)</param>
    /// <param name="encoder">the framing of every payload not enqueued with an encoder of its own</param>
    /// <param name="limitBytes">most bytes that may wait beyond the write in flight</param>
    /// <param name="counters">bytes written are counted here (null: not counted)</param>
    /// <param name="softLimitBytes">the queue's soft tier (<see cref="Watermark"/>); null: half of <paramref name="limitBytes"/></param>
    public AckWriter(IActorRef? socket, IFrameEncoder encoder, long limitBytes, ConnectionCounters? counters = null, long? softLimitBytes = null)
    {
        Socket = socket ?? ActorRefs.Nobody;
        _encoder = encoder;
        _queue = new OutboundQueue(encoder, limitBytes);
        _counters = counters;
        Watermark = new WriteWatermark(softLimitBytes ?? limitBytes / 2, Math.Max(1, limitBytes));
    }

    /// <summary>The soft limit over this queue: the owner feeds it the queued bytes (<see cref="UpdateWatermark"/>) and
    /// pauses or resumes whoever feeds the queue on its transitions.</summary>
    public WriteWatermark Watermark { get; }

    /// <summary>Applies the soft limit to what is queued here plus <paramref name="extraBytes"/> held in front of the
    /// writer (a downstream toxic lane).</summary>
    public WriteWatermark.Transition UpdateWatermark(long extraBytes = 0) => Watermark.Update(TotalQueuedBytes + extraBytes);

    /// <summary>The socket writes go to; an outbound link sets it once connected (nothing is written before).</summary>
    public IActorRef Socket { get; set; }

    /// <summary>A byte transform between the framing and the socket (TLS): when set, writes go to it instead of
    /// <see cref="Socket"/>, and it delivers <see cref="Ack"/> to the owner once it took them. It counts the bytes it
    /// puts on the wire itself (what the socket carries is not what was framed).</summary>
    public IWriteSink? Sink { get; set; }

    public bool WriteInFlight => _queue.WriteInFlight;

    public long PendingBytes => _queue.PendingBytes;

    /// <summary>Pending plus in-flight bytes.</summary>
    public long TotalQueuedBytes => _queue.TotalQueuedBytes;

    /// <summary>Frames one payload (with <paramref name="encoder"/>, default the writer's own) and writes it now when
    /// nothing is in flight, else queues it. <see cref="OutboundQueue.Result.LimitExceeded"/>: nothing was queued; the
    /// caller decides what a slow reader costs (cut the client, fail the link).</summary>
    /// <param name="defer">queue even when idle; the caller calls <see cref="Flush"/> before it returns</param>
    public OutboundQueue.Result Enqueue(ReadOnlySpan<byte> payload, IFrameEncoder? encoder = null, bool defer = false)
    {
        var result = _queue.Enqueue(payload, encoder ?? _encoder, out var write, defer);
        if (result == OutboundQueue.Result.WriteNow) Write(write!);
        return result;
    }

    /// <summary>As <see cref="Enqueue(ReadOnlySpan{byte}, IFrameEncoder?, bool)"/> for a payload the caller will not
    /// change: when it needs no framing (raw) and goes straight to the socket (no <see cref="Sink"/>), it is written or
    /// queued as it is, without a copy (<see cref="OutboundQueue.EnqueueAsIs"/>); otherwise it is framed and copied.</summary>
    public OutboundQueue.Result Enqueue(ByteString payload, IFrameEncoder? encoder = null, bool defer = false)
    {
        var framing = encoder ?? _encoder;
        if (Sink is not null || !ReferenceEquals(framing, RawFrameEncoder.Instance))
            return Enqueue(payload.ToReadOnlySpan(), framing, defer);
        var result = _queue.EnqueueAsIs(payload, out var write, defer);
        if (result == OutboundQueue.Result.WriteNow) Write(write!);
        return result;
    }

    /// <summary>After deferred enqueues: writes what is pending if nothing is in flight.</summary>
    public void Flush()
    {
        if (_queue.Flush() is { } write) Write(write);
    }

    /// <summary>Idle (nothing in flight, nothing pending): writes caller-owned, already framed, immutable runs as they
    /// are, without a copy, and returns true. Otherwise returns false (enqueue them instead).</summary>
    public bool TryWriteAsIs(List<ArraySegment<byte>> runs)
    {
        var bytes = 0;
        foreach (var run in runs) bytes += run.Count;
        if (!_queue.TryWriteAsIs(bytes)) return false;
        Write(runs.Count == 1 ? ByteString.FromBytes(runs[0]) : ByteString.FromBytes(runs.ToArray()), runs.Count == 1 ? runs[0] : default);
        return true;
    }

    /// <summary>The write in flight was acked: the next coalesced write leaves, if any.</summary>
    public void OnAck()
    {
        Sink?.OnAck();
        if (_queue.OnAck() is { } next) Write(next);
    }

    /// <summary>Discards what is queued and not yet in flight.</summary>
    public void DropPending() => _queue.DropPending();

    /// <param name="contiguous">the same bytes as one array, when they are (for a <see cref="Sink"/>); default: the
    /// queue's own in-flight array, if it is one</param>
    private void Write(ByteString data, ArraySegment<byte> contiguous = default)
    {
        if (Sink is { } sink)
        {
            sink.Write(data, contiguous.Array is null ? _queue.InFlightArray : contiguous);
            return;
        }

        _counters?.BytesOut(data.Count);
        Socket.Tell(Tcp.Write.Create(data, Ack.Instance));
    }

    public void Dispose() => _queue.Dispose();
}

/// <summary>Takes the place of the socket under an <see cref="AckWriter"/>: one write at a time, acked to the writer's
/// owner with <see cref="AckWriter.Ack"/> once taken (the sink may use it as the ack of its own socket write).</summary>
public interface IWriteSink
{
    /// <param name="contiguous">the same bytes as one array the sink may read in place until it acks, when the writer
    /// has them so; default otherwise (then they are copied out of <paramref name="data"/>)</param>
    void Write(ByteString data, ArraySegment<byte> contiguous);

    /// <summary>The writer's owner received <see cref="AckWriter.Ack"/> (called before the next write).</summary>
    void OnAck();
}
