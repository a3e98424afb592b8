using Akka.IO;

namespace ActorNet.Framing;

/// <summary>Each input becomes frames as-is, in chunks of at most maxFrameBytes (slices of one copy of the input, or of the
/// input ByteString itself). Buffers nothing, never fails.</summary>
internal sealed class RawFrameDecoder : IFrameDecoder
{
    private readonly int _maxFrameBytes;
    private readonly FrameSlicer _slicer = new();
    private bool _disposed;

    public RawFrameDecoder(int maxFrameBytes) => _maxFrameBytes = maxFrameBytes;

    public int BufferedBytes => 0;

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
        _slicer.Begin(frames, source);
        for (int pos = 0; pos < input.Length; pos += _maxFrameBytes)
            _slicer.AddRange(input, pos, Math.Min(_maxFrameBytes, input.Length - pos));
        _slicer.End();
        return DecodeStatus.Ok;
    }

    public void Dispose() => _disposed = true;
}
