using Akka.IO;

namespace ActorNet.Framing;

/// <summary>
/// Frames end at LF; a CR right before the LF is stripped. An unterminated line is cut (FrameTooLong) as soon as it
/// can no longer fit: more than max+1 bytes buffered, or max+1 bytes whose last is not a CR.
/// Holds at most maxFrameBytes + 1 bytes.
/// </summary>
internal sealed class LineFrameDecoder : IFrameDecoder
{
    private const byte Lf = (byte)'\n';
    private const byte Cr = (byte)'\r';

    private readonly int _maxFrameBytes;
    private readonly PooledByteBuffer _partial;
    private readonly FrameSlicer _slicer = new();
    private DecodeStatus _status = DecodeStatus.Ok;
    private bool _disposed;

    public LineFrameDecoder(int maxFrameBytes)
    {
        _maxFrameBytes = maxFrameBytes;
        _partial = new PooledByteBuffer((int)Math.Min(int.MaxValue, maxFrameBytes + 1L));
    }

    public int BufferedBytes => _partial.Length;

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
        _slicer.Begin(frames, source);
        var status = Scan(input);
        _slicer.End(); // frames completed before a bad point are already appended
        return status;
    }

    private DecodeStatus Scan(ReadOnlySpan<byte> input)
    {
        int pos = 0;
        if (_partial.Length > 0)
        {
            int lf = input.IndexOf(Lf);
            if (lf < 0)
                return Hold(input);
            if (!CompleteBufferedLine(input[..lf]))
                return Fail(DecodeStatus.FrameTooLong);
            pos = lf + 1;
        }

        while (true)
        {
            int lf = input[pos..].IndexOf(Lf);
            if (lf < 0)
                break;
            int length = lf;
            if (length > 0 && input[pos + length - 1] == Cr)
                length--;
            if (length > _maxFrameBytes)
                return Fail(DecodeStatus.FrameTooLong);
            _slicer.AddRange(input, pos, length);
            pos += lf + 1;
        }
        return Hold(input[pos..]);
    }

    public void Dispose()
    {
        _disposed = true;
        _partial.Dispose();
    }

    /// <summary>The buffered bytes plus <paramref name="tail"/> (input before the LF) form one line.</summary>
    private bool CompleteBufferedLine(ReadOnlySpan<byte> tail)
    {
        ReadOnlySpan<byte> head = _partial.Span;
        if (!tail.IsEmpty)
        {
            if (tail[^1] == Cr)
                tail = tail[..^1];
        }
        else if (head[^1] == Cr)
        {
            head = head[..^1];
        }
        long length = (long)head.Length + tail.Length;
        if (length > _maxFrameBytes)
            return false;
        if (length > 0)
        {
            var bytes = new byte[length];
            head.CopyTo(bytes);
            tail.CopyTo(bytes.AsSpan(head.Length));
            _slicer.AddOwned(ByteString.FromBytes(bytes));
        }
        else
        {
            _slicer.AddOwned(ByteString.Empty);
        }
        _partial.Clear();
        return true;
    }

    /// <summary>Buffers an unterminated rest of line, or fails if it can no longer become a valid line.</summary>
    private DecodeStatus Hold(ReadOnlySpan<byte> rest)
    {
        if (rest.IsEmpty)
            return DecodeStatus.Ok;
        long total = (long)_partial.Length + rest.Length;
        if (total > _maxFrameBytes + 1L || (total == _maxFrameBytes + 1L && rest[^1] != Cr))
            return Fail(DecodeStatus.FrameTooLong);
        _partial.Append(rest);
        return DecodeStatus.Ok;
    }

    private DecodeStatus Fail(DecodeStatus status)
    {
        _status = status;
        _partial.Clear();
        return status;
    }
}
