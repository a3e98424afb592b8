namespace ActorNet.Runtime;

/// <summary>Live counters of one connection. Written only by its connection actor (one thread at a time, so a plain
/// read-modify-write is safe and no lock prefix is paid per frame), read by anyone (admin endpoint, metrics) without
/// messages; reads and writes are volatile, so readers see whole, recent values.</summary>
public sealed class ConnectionStats
{
    private long _framesIn, _framesOut, _bytesIn, _bytesOut, _queuedBytes, _handlerRestarts;

    public long FramesIn => Volatile.Read(ref _framesIn);
    public long FramesOut => Volatile.Read(ref _framesOut);
    public long BytesIn => Volatile.Read(ref _bytesIn);
    public long BytesOut => Volatile.Read(ref _bytesOut);

    /// <summary>Bytes waiting to be written (outbound queue plus frames held back by toxics).</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    public long HandlerRestarts => Volatile.Read(ref _handlerRestarts);

    internal void FrameIn() => Volatile.Write(ref _framesIn, _framesIn + 1);
    internal void FrameOut() => Volatile.Write(ref _framesOut, _framesOut + 1);
    internal void AddFramesOut(int count) => Volatile.Write(ref _framesOut, _framesOut + count);
    internal void AddFramesIn(int count) => Volatile.Write(ref _framesIn, _framesIn + count);
    internal void AddBytesIn(long bytes) => Volatile.Write(ref _bytesIn, _bytesIn + bytes);
    internal void AddBytesOut(long bytes) => Volatile.Write(ref _bytesOut, _bytesOut + bytes);
    internal void SetQueued(long bytes) => Volatile.Write(ref _queuedBytes, bytes);
    internal void HandlerRestarted() => Interlocked.Increment(ref _handlerRestarts); // from the supervisor strategy
}
