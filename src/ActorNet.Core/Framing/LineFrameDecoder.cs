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
    private DecodeStatus _status = DecodeStatus.Ok;
    private bool _disposed;

    public LineFrameDecoder(int maxFrameBytes)
    {
        _maxFrameBytes = maxFrameBytes;
        _partial = new PooledByteBuffer((int)Math.Min(int.MaxValue, maxFrameBytes + 1L));
    }

    public int BufferedBytes => _partial.Length;

    public DecodeStatus Decode(ReadOnlySpan<byte> input, List<ByteString> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_status != DecodeStatus.Ok)
            return _status;

        if (_partial.Length > 0)
        {
            int lf = input.IndexOf(Lf);
            if (lf < 0)
                return Hold(input);
            if (!CompleteBufferedLine(input[..lf], frames))
                return Fail(DecodeStatus.FrameTooLong);
            input = input[(lf + 1)..];
        }

        while (true)
        {
            int lf = input.IndexOf(Lf);
            if (lf < 0)
                break;
            ReadOnlySpan<byte> line = input[..lf];
            if (!line.IsEmpty && line[^1] == Cr)
                line = line[..^1];
            if (line.Length > _maxFrameBytes)
                return Fail(DecodeStatus.FrameTooLong);
            frames.Add(FrameCodecs.Copy(line));
            input = input[(lf + 1)..];
        }
        return Hold(input);
    }

    public void Dispose()
    {
        _disposed = true;
        _partial.Dispose();
    }

    /// <summary>The buffered bytes plus <paramref name="tail"/> (input before the LF) form one line.</summary>
    private bool CompleteBufferedLine(ReadOnlySpan<byte> tail, List<ByteString> frames)
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
            frames.Add(ByteString.FromBytes(bytes));
        }
        else
        {
            frames.Add(ByteString.Empty);
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
