using System.Buffers.Binary;
using Akka.IO;

namespace ActorNet.Framing;

/// <summary>
/// 4-byte big-endian unsigned length, then that many payload bytes. A length with the top bit set is
/// <see cref="DecodeStatus.InvalidLength"/>; a length over the maximum is <see cref="DecodeStatus.FrameTooLong"/>
/// (reported as soon as the prefix is read). Holds at most 4 prefix bytes + maxFrameBytes payload bytes.
/// </summary>
internal sealed class LengthPrefixedFrameDecoder : SlicingFrameDecoder
{
    private const int PrefixLength = LengthPrefixedFrameEncoder.PrefixLength;

    private readonly int _maxFrameBytes;
    private uint _prefix;          // prefix bytes read so far, accumulated big-endian
    private int _prefixCount;      // 0..3 while reading a prefix
    private int _expected = -1;    // payload length of the current frame, -1 while reading a prefix

    public LengthPrefixedFrameDecoder(int maxFrameBytes) : base(new PooledByteBuffer(maxFrameBytes))
    {
        _maxFrameBytes = maxFrameBytes;
    }

    public override int BufferedBytes => _expected < 0 ? _prefixCount : PrefixLength + Buffer.Length;

    protected override DecodeStatus Scan(ReadOnlySpan<byte> input)
    {
        int pos = 0;
        while (pos < input.Length)
        {
            if (_expected < 0)
            {
                uint length;
                if (_prefixCount == 0 && input.Length - pos >= PrefixLength)
                {
                    length = BinaryPrimitives.ReadUInt32BigEndian(input[pos..]);
                    pos += PrefixLength;
                }
                else
                {
                    while (_prefixCount < PrefixLength && pos < input.Length)
                    {
                        _prefix = (_prefix << 8) | input[pos];
                        _prefixCount++;
                        pos++;
                    }
                    if (_prefixCount < PrefixLength)
                        break;
                    length = _prefix;
                    _prefix = 0;
                    _prefixCount = 0;
                }

                if ((length & 0x8000_0000u) != 0)
                    return Fail(DecodeStatus.InvalidLength);
                if (length > (uint)_maxFrameBytes)
                    return Fail(DecodeStatus.FrameTooLong);
                if (length == 0)
                    Slicer.AddOwned(ByteString.Empty);
                else
                    _expected = (int)length;
                continue;
            }

            if (Buffer.Length == 0 && input.Length - pos >= _expected)
            {
                Slicer.AddRange(input, pos, _expected);
                pos += _expected;
                _expected = -1;
                continue;
            }

            int take = Math.Min(_expected - Buffer.Length, input.Length - pos);
            Buffer.Append(input.Slice(pos, take));
            pos += take;
            if (Buffer.Length == _expected)
            {
                Slicer.AddOwned(FrameCodecs.Copy(Buffer.Span));
                Buffer.Clear();
                _expected = -1;
            }
        }
        return DecodeStatus.Ok;
    }
}
