using System.Buffers;
using Akka.IO;

namespace ActorNet.Framing;

/// <summary>
/// One connection's outbound side: at most one write in flight (Akka.IO ack-based writes); frames enqueued meanwhile
/// are framed and copied into a pending buffer and leave as ONE coalesced write when the ack arrives. Raw payloads
/// may instead wait as they are (<see cref="EnqueueAsIs"/>) and leave as one gathered write, with no copy.
/// </summary>
/// <remarks>
/// <para>Zero-copy hand-off: a returned write wraps (does not copy) a pooled array. That array is never touched
/// while the write is in flight; after <see cref="OnAck"/> it is recycled (it becomes the next pending buffer), so a
/// caller must not read a write's ByteString after acknowledging it. Two arrays take turns while writes follow each
/// other: one in flight, one filling up; they swap only in <see cref="OnAck"/>. Once idle (an ack with nothing
/// pending) the queue returns every array to the pool, so an idle connection holds no buffer.</para>
/// <para>Queueing a frame copies it into the pending array (grown by doubling, up to the limit); no per-frame
/// allocation. Not thread-safe: owned by one actor.</para>
/// </remarks>
public sealed class OutboundQueue : IDisposable
{
    private const int MinBufferBytes = 4 * 1024;

    /// <summary>A freed array larger than this goes back to the pool instead of being kept for the next write.</summary>
    internal const int RetainBytes = 64 * 1024;

    private readonly IFrameEncoder _encoder;
    private readonly long _limitBytes;
    private byte[]? _pending;
    private int _pendingLength;
    private byte[]? _inFlight;
    private int _inFlightLength;
    private byte[]? _spare;

    /// <summary>Caller-owned immutable payloads waiting as they are (<see cref="EnqueueAsIs"/>), in order; while any
    /// wait here the pending array is empty, so every later frame joins this list and order is kept.</summary>
    private readonly List<ByteString> _pendingAsIs = new();
    private long _pendingAsIsBytes;
    private bool _writeInFlight;
    private bool _disposed;

    /// <param name="encoder">framing applied to every payload</param>
    /// <param name="limitBytes">most bytes that may wait in the pending buffer (the in-flight write is not counted)</param>
    public OutboundQueue(IFrameEncoder encoder, long limitBytes)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentOutOfRangeException.ThrowIfNegative(limitBytes);
        _encoder = encoder;
        _limitBytes = limitBytes;
    }

    /// <summary>What <see cref="Enqueue(ReadOnlySpan{byte}, out ByteString?)"/> did with a payload.</summary>
    public enum Result
    {
        /// <summary>Nothing was in flight: send the returned write now; it is in flight until <see cref="OnAck"/>.</summary>
        WriteNow,

        /// <summary>Framed into the pending buffer; it leaves with the write returned by a later <see cref="OnAck"/>.</summary>
        Queued,

        /// <summary>Pending bytes would exceed the limit: nothing was queued (slow consumer).</summary>
        LimitExceeded,
    }

    /// <summary>True between a write being handed out and its <see cref="OnAck"/>.</summary>
    public bool WriteInFlight => _writeInFlight;

    /// <summary>Framed bytes waiting for the in-flight write's ack.</summary>
    public long PendingBytes => _pendingLength + _pendingAsIsBytes;

    /// <summary>Bytes of pooled arrays this queue holds (pending, in flight, spare); 0 when idle. For tests.</summary>
    internal int HeldArrayBytes => (_pending?.Length ?? 0) + (_inFlight?.Length ?? 0) + (_spare?.Length ?? 0);

    /// <summary>Size of the write currently in flight (0 when idle).</summary>
    public long InFlightBytes => _inFlightLength;

    /// <summary>Pending plus in-flight bytes.</summary>
    public long TotalQueuedBytes => PendingBytes + InFlightBytes;

    /// <summary>The write in flight as the one array it is (a byte transform such as TLS reads it in place instead of
    /// copying it out of its ByteString); empty when the write in flight is not ours (<see cref="TryWriteAsIs"/>).</summary>
    public ArraySegment<byte> InFlightArray => _writeInFlight && _inFlight is { } array ? new(array, 0, _inFlightLength) : default;

    /// <summary>
    /// No write in flight: returns <see cref="Result.WriteNow"/> and <paramref name="write"/> = the framed bytes
    /// (the caller sends them and is now "in flight"). Write in flight: frames the payload into the pending buffer;
    /// returns <see cref="Result.Queued"/>, or <see cref="Result.LimitExceeded"/> when pending bytes would exceed
    /// the limit (then nothing is queued; the caller cuts the client as a slow consumer).
    /// </summary>
    public Result Enqueue(ReadOnlySpan<byte> payload, out ByteString? write) => Enqueue(payload, _encoder, out write);

    /// <summary>
    /// As <see cref="Enqueue(ReadOnlySpan{byte}, out ByteString?)"/>, framing this one payload with
    /// <paramref name="encoder"/> instead of the queue's own (e.g. raw bytes of a WebSocket handshake or control frame
    /// between data frames); order with the other frames is kept.
    /// </summary>
    /// <param name="defer">true: always frame into the pending buffer, even when nothing is in flight (several
    /// frames that should leave as one write); the caller must then call <see cref="Flush"/> before it returns to
    /// anything else, so that "idle" keeps meaning "nothing pending"</param>
    public Result Enqueue(ReadOnlySpan<byte> payload, IFrameEncoder encoder, out ByteString? write, bool defer = false)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int framed = encoder.FramedLength(payload.Length);
        if (!_writeInFlight && !defer && _pendingLength == 0 && _pendingAsIs.Count == 0)
        {
            byte[] buffer = TakeBuffer(framed);
            int n = encoder.Encode(payload, buffer);
            _inFlight = buffer;
            _inFlightLength = n;
            _writeInFlight = true;
            write = ByteString.FromBytes(buffer, 0, n);
            return Result.WriteNow;
        }

        write = null;
        if (_pendingAsIs.Count > 0)
        {
            // Behind payloads held as they are: this one joins them (one allocation; such mixes are rare).
            if (_pendingAsIsBytes + framed > _limitBytes)
                return Result.LimitExceeded;
            var copy = new byte[framed];
            HoldAsIs(ByteString.FromBytes(copy, 0, encoder.Encode(payload, copy)));
            return Result.Queued;
        }

        long after = _pendingLength + (long)framed;
        if (after > _limitBytes || after > Array.MaxLength)
            return Result.LimitExceeded;
        EnsurePendingCapacity((int)after);
        _pendingLength += encoder.Encode(payload, _pending.AsSpan(_pendingLength));
        return Result.Queued;
    }

    /// <summary>
    /// Nothing in flight and nothing pending: <paramref name="length"/> bytes the caller already framed, in immutable
    /// arrays it does not own (a shared <see cref="FrameBatch"/> encoding), become the write in flight as they are,
    /// without a copy; returns true and the caller sends them. Otherwise returns false: enqueue them instead.
    /// </summary>
    public bool TryWriteAsIs(int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (_writeInFlight || PendingBytes != 0)
            return false;
        _inFlight = null; // not ours: never recycled
        _inFlightLength = length;
        _writeInFlight = true;
        return true;
    }

    /// <summary>
    /// Zero-copy enqueue of a payload that needs no framing (raw framing) and that nobody will change (a ByteString
    /// Akka.IO read, or one a handler built): it leaves as it is, never copied into a pending array. Idle (and not
    /// <paramref name="defer"/>): it is the write now. Otherwise it waits, and the waiting payloads leave together as
    /// one write (a gathered send, Akka.IO's BufferList) at the next <see cref="OnAck"/> or <see cref="Flush"/>. When
    /// framed bytes are already pending in the array it is copied behind them instead, so order is kept.
    /// </summary>
    /// <remarks>Why: a forward proxy moves every byte through here; the copy into the pending array was the node's
    /// largest user-space cost after Akka.IO's own read copy (perf, 10 parallel downloads; docs/BENCHMARKS.md).</remarks>
    public Result EnqueueAsIs(ByteString payload, out ByteString? write, bool defer = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        write = null;
        if (_pendingLength != 0)
            return Enqueue(payload.ToReadOnlySpan(), RawFrameEncoder.Instance, out write, defer);
        if (!_writeInFlight && !defer && _pendingAsIs.Count == 0)
        {
            _inFlight = null; // not ours: never recycled
            _inFlightLength = payload.Count;
            _writeInFlight = true;
            write = payload;
            return Result.WriteNow;
        }

        if (_pendingAsIsBytes + payload.Count > _limitBytes)
            return Result.LimitExceeded;
        HoldAsIs(payload);
        return Result.Queued;
    }

    private void HoldAsIs(ByteString payload)
    {
        _pendingAsIs.Add(payload);
        _pendingAsIsBytes += payload.Count;
    }

    /// <summary>The payloads held as they are, as one write in flight (not ours: never recycled).</summary>
    private ByteString TakeAsIs()
    {
        var write = _pendingAsIs[0];
        for (var i = 1; i < _pendingAsIs.Count; i++)
            write = write.Concat(_pendingAsIs[i]);
        _inFlight = null;
        _inFlightLength = (int)_pendingAsIsBytes;
        _writeInFlight = true;
        _pendingAsIs.Clear();
        _pendingAsIsBytes = 0;
        return write;
    }

    /// <summary>
    /// The in-flight write was acked. Returns the coalesced pending bytes to write next (still in flight), or null
    /// (now idle). The acked write's ByteString must not be read after this call.
    /// </summary>
    /// <exception cref="InvalidOperationException">no write is in flight (an ack the queue did not ask for)</exception>
    public ByteString? OnAck()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_writeInFlight)
            throw new InvalidOperationException("OnAck without a write in flight");

        byte[]? acked = _inFlight;
        if (_pendingAsIs.Count > 0)
        {
            Recycle(acked);
            return TakeAsIs();
        }

        if (_pendingLength == 0)
        {
            // Now idle: hold no array at all. An idle connection keeping a 4 KiB+ spare costs 4 KiB per connection
            // (10,000 idle connections = 40 MB); a busy one keeps its spare while writes follow each other.
            _inFlight = null;
            _inFlightLength = 0;
            _writeInFlight = false;
            Return(ref acked);
            Return(ref _pending);
            Return(ref _spare);
            return null;
        }

        _inFlight = _pending;
        _inFlightLength = _pendingLength;
        _pending = null;
        _pendingLength = 0;
        Recycle(acked);
        return ByteString.FromBytes(_inFlight!, 0, _inFlightLength);
    }

    /// <summary>
    /// After deferred enqueues: when nothing is in flight and frames are pending, they become the write in flight
    /// and are returned (send them now); otherwise null (they leave with the next <see cref="OnAck"/>).
    /// </summary>
    public ByteString? Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writeInFlight)
            return null;
        if (_pendingAsIs.Count > 0)
            return TakeAsIs();
        if (_pendingLength == 0)
            return null;
        _inFlight = _pending;
        _inFlightLength = _pendingLength;
        _pending = null;
        _pendingLength = 0;
        _writeInFlight = true;
        return ByteString.FromBytes(_inFlight!, 0, _inFlightLength);
    }

    /// <summary>Discards every queued frame that is not yet in flight (e.g. before a slow consumer's last error line).</summary>
    public void DropPending()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _pendingLength = 0;
        _pendingAsIs.Clear();
        _pendingAsIsBytes = 0;
    }

    /// <summary>
    /// Returns the pooled arrays that nothing else can be reading. An array still in flight is left to the garbage
    /// collector rather than pooled, since Akka.IO may still read it.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Return(ref _pending);
        Return(ref _spare);
        _pendingLength = 0;
        _pendingAsIs.Clear();
        _pendingAsIsBytes = 0;
        if (!_writeInFlight)
            Return(ref _inFlight);
        _inFlight = null;
        _inFlightLength = 0;
        _writeInFlight = false;
    }

    private void EnsurePendingCapacity(int needed)
    {
        if (_pending is null)
        {
            _pending = TakeBuffer(needed);
            return;
        }
        if (_pending.Length >= needed)
            return;
        long cap = Math.Min(_limitBytes, Array.MaxLength);
        int size = (int)Math.Max(needed, Math.Min(2L * _pending.Length, cap));
        byte[] next = ArrayPool<byte>.Shared.Rent(size);
        _pending.AsSpan(0, _pendingLength).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_pending);
        _pending = next;
    }

    /// <summary>An empty array of at least <paramref name="minLength"/> bytes: the spare if big enough, else rented.</summary>
    private byte[] TakeBuffer(int minLength)
    {
        byte[]? spare = _spare;
        _spare = null;
        if (spare is not null)
        {
            if (spare.Length >= minLength)
                return spare;
            ArrayPool<byte>.Shared.Return(spare);
        }
        return ArrayPool<byte>.Shared.Rent(Math.Max(minLength, MinBufferBytes));
    }

    private void Recycle(byte[]? array)
    {
        if (array is null)
            return;
        if (_spare is null && array.Length <= RetainBytes)
            _spare = array;
        else
            ArrayPool<byte>.Shared.Return(array);
    }

    private static void Return(ref byte[]? array)
    {
        if (array is not null)
            ArrayPool<byte>.Shared.Return(array);
        array = null;
    }
}
