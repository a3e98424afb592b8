using System.Buffers.Binary;
using Akka.IO;

namespace ActorNet.Framing;

/// <summary>
/// 4-byte big-endian unsigned length, then that many payload bytes. A length with the top bit set is
/// <see cref="DecodeStatus.InvalidLength"/>; a length over the maximum is <see cref="DecodeStatus.FrameTooLong"/>
/// (reported as soon as the prefix is read). Holds at most 4 prefix bytes + maxFrameBytes payload bytes.
/// </summary>
internal sealed class LengthPrefixedFrameDecoder : IFrameDecoder
{
    private const int PrefixLength = LengthPrefixedFrameEncoder.PrefixLength;

    private readonly int _maxFrameBytes;
    private readonly PooledByteBuffer _payload;
    private readonly FrameSlicer _slicer = new();
    private uint _prefix;          // prefix bytes read so far, accumulated big-endian
    private int _prefixCount;      // 0..3 while reading a prefix
    private int _expected = -1;    // payload length of the current frame, -1 while reading a prefix
    private DecodeStatus _status = DecodeStatus.Ok;
    private bool _disposed;

    public LengthPrefixedFrameDecoder(int maxFrameBytes)
    {
        _maxFrameBytes = maxFrameBytes;
        _payload = new PooledByteBuffer(maxFrameBytes);
    }

    public int BufferedBytes => _expected < 0 ? _prefixCount : PrefixLength + _payload.Length;

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
                    _slicer.AddOwned(ByteString.Empty);
                else
                    _expected = (int)length;
                continue;
            }

            if (_payload.Length == 0 && input.Length - pos >= _expected)
            {
                _slicer.AddRange(input, pos, _expected);
                pos += _expected;
                _expected = -1;
                continue;
            }

            int take = Math.Min(_expected - _payload.Length, input.Length - pos);
            _payload.Append(input.Slice(pos, take));
            pos += take;
            if (_payload.Length == _expected)
            {
                _slicer.AddOwned(FrameCodecs.Copy(_payload.Span));
                _payload.Clear();
                _expected = -1;
            }
        }
        return DecodeStatus.Ok;
    }

    public void Dispose()
    {
        _disposed = true;
        _payload.Dispose();
    }

    private DecodeStatus Fail(DecodeStatus status)
    {
        _status = status;
        _payload.Clear();
        return status;
    }
}
