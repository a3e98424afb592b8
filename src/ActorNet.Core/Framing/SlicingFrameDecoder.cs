using Akka.IO;

namespace ActorNet.Framing;

/// <summary>
/// What the built-in decoders share: the two Decode entry points (frames sliced by one <see cref="FrameSlicer"/> per
/// input), the sticky failure status and disposal. A derived decoder scans one input (<see cref="Scan"/>) and, if it
/// keeps a partial frame between inputs, passes the buffer for it (<see cref="Buffer"/>).
/// </summary>
internal abstract class SlicingFrameDecoder(PooledByteBuffer? buffer = null) : IFrameDecoder
{
    private DecodeStatus _status = DecodeStatus.Ok;
    private bool _disposed;

    /// <summary>Appends the frames of the input being decoded.</summary>
    protected FrameSlicer Slicer { get; } = new();

    /// <summary>Bytes of a frame not complete yet (cleared on failure, returned to the pool on dispose).</summary>
    protected PooledByteBuffer Buffer => buffer ?? throw new InvalidOperationException("this decoder keeps no partial frames");

    public abstract int BufferedBytes { get; }

    public DecodeStatus Decode(ReadOnlySpan<byte> input, List<ByteString> frames) => Decode(input, null, frames);

    public DecodeStatus Decode(ByteString input, List<ByteString> frames)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Decode(input.ToReadOnlySpan(), input.IsCompact ? input : null, frames);
    }

    private DecodeStatus Decode(ReadOnlySpan<byte> input, ByteString? source, List<ByteString> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_status != DecodeStatus.Ok)
            return _status;
        Slicer.Begin(frames, source);
        var status = Scan(input);
        Slicer.End(); // frames completed before a bad point are already appended
        return status;
    }

    /// <summary>Finds the frames of one input (appending them to <see cref="Slicer"/>); returns a failure through <see cref="Fail"/>.</summary>
    protected abstract DecodeStatus Scan(ReadOnlySpan<byte> input);

    /// <summary>The input is bad: every later call returns <paramref name="status"/> too.</summary>
    protected DecodeStatus Fail(DecodeStatus status)
    {
        _status = status;
        buffer?.Clear();
        return status;
    }

    public void Dispose()
    {
        _disposed = true;
        buffer?.Dispose();
    }
}
