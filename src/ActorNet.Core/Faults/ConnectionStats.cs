namespace ActorNet.Faults;

/// <summary>Live counters of one connection. Written only by its connection actor, read by anyone (admin endpoint,
/// metrics) without messages; every access is atomic.</summary>
public sealed class ConnectionStats
{
    private long _framesIn, _framesOut, _bytesIn, _bytesOut, _queuedBytes, _handlerRestarts;

    public long FramesIn => Interlocked.Read(ref _framesIn);
    public long FramesOut => Interlocked.Read(ref _framesOut);
    public long BytesIn => Interlocked.Read(ref _bytesIn);
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>Bytes waiting to be written (outbound queue plus frames held back by toxics).</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    public long HandlerRestarts => Interlocked.Read(ref _handlerRestarts);

    internal void FrameIn() => Interlocked.Increment(ref _framesIn);
    internal void FrameOut() => Interlocked.Increment(ref _framesOut);
    internal void AddBytesIn(long bytes) => Interlocked.Add(ref _bytesIn, bytes);
    internal void AddBytesOut(long bytes) => Interlocked.Add(ref _bytesOut, bytes);
    internal void SetQueued(long bytes) => Interlocked.Exchange(ref _queuedBytes, bytes);
    internal void HandlerRestarted() => Interlocked.Increment(ref _handlerRestarts);
}
