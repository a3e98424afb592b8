using Akka.IO;

namespace ActorNet.Framing;

/// <summary>Each input becomes frames as-is, in chunks of at most maxFrameBytes. Buffers nothing, never fails.</summary>
internal sealed class RawFrameDecoder : IFrameDecoder
{
    private readonly int _maxFrameBytes;
    private bool _disposed;

    public RawFrameDecoder(int maxFrameBytes) => _maxFrameBytes = maxFrameBytes;

    public int BufferedBytes => 0;

    public DecodeStatus Decode(ReadOnlySpan<byte> input, List<ByteString> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!input.IsEmpty)
        {
            int n = Math.Min(_maxFrameBytes, input.Length);
            frames.Add(FrameCodecs.Copy(input[..n]));
            input = input[n..];
        }
        return DecodeStatus.Ok;
    }

    public void Dispose() => _disposed = true;
}
