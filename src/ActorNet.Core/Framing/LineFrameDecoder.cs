using Akka.IO;

namespace ActorNet.Framing;

/// <summary>
/// Frames end at LF; a CR right before the LF is stripped. An unterminated line is cut (FrameTooLong) as soon as it
/// can no longer fit: more than max+1 bytes buffered, or max+1 bytes whose last is not a CR.
/// Holds at most maxFrameBytes + 1 bytes.
/// </summary>
internal sealed class LineFrameDecoder : SlicingFrameDecoder
{
    private const byte Lf = (byte)'\n';
    private const byte Cr = (byte)'\r';

    private readonly int _maxFrameBytes;

    public LineFrameDecoder(int maxFrameBytes) : base(new PooledByteBuffer((int)Math.Min(int.MaxValue, maxFrameBytes + 1L)))
    {
        _maxFrameBytes = maxFrameBytes;
    }

    public override int BufferedBytes => Buffer.Length;

    protected override DecodeStatus Scan(ReadOnlySpan<byte> input)
    {
        int pos = 0;
        if (Buffer.Length > 0)
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
            Slicer.AddRange(input, pos, length);
            pos += lf + 1;
        }
        return Hold(input[pos..]);
    }

    /// <summary>The buffered bytes plus <paramref name="tail"/> (input before the LF) form one line.</summary>
    private bool CompleteBufferedLine(ReadOnlySpan<byte> tail)
    {
        ReadOnlySpan<byte> head = Buffer.Span;
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
            Slicer.AddOwned(ByteString.FromBytes(bytes));
        }
        else
        {
            Slicer.AddOwned(ByteString.Empty);
        }
        Buffer.Clear();
        return true;
    }

    /// <summary>Buffers an unterminated rest of line, or fails if it can no longer become a valid line.</summary>
    private DecodeStatus Hold(ReadOnlySpan<byte> rest)
    {
        if (rest.IsEmpty)
            return DecodeStatus.Ok;
        long total = (long)Buffer.Length + rest.Length;
        if (total > _maxFrameBytes + 1L || (total == _maxFrameBytes + 1L && rest[^1] != Cr))
            return Fail(DecodeStatus.FrameTooLong);
        Buffer.Append(rest);
        return DecodeStatus.Ok;
    }
}
