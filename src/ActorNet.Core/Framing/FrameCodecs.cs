using System.Buffers.Binary;
using ActorNet.Config;
using Akka.IO;

namespace ActorNet.Framing;

/// <summary>Factory for the built-in framings: line (LF / CRLF), 4-byte big-endian length prefix, and raw.</summary>
public static class FrameCodecs
{
    /// <summary>A new decoder (one per connection; dispose it to return its pooled buffer).</summary>
    /// <param name="maxFrameBytes">largest payload accepted (raw: largest chunk emitted); must be at least 1</param>
    public static IFrameDecoder CreateDecoder(FramingKind kind, int maxFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 1);
        return kind switch
        {
            FramingKind.Line => new LineFrameDecoder(maxFrameBytes),
            FramingKind.LengthPrefixed => new LengthPrefixedFrameDecoder(maxFrameBytes),
            FramingKind.Raw => new RawFrameDecoder(maxFrameBytes),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown framing"),
        };
    }

    /// <summary>The encoder for a framing; stateless and shareable. <paramref name="lineEnding"/> matters only for line framing.</summary>
    public static IFrameEncoder GetEncoder(FramingKind kind, LineEnding lineEnding) => kind switch
    {
        FramingKind.Line => lineEnding switch
        {
            LineEnding.Lf => LineFrameEncoder.Lf,
            LineEnding.CrLf => LineFrameEncoder.CrLf,
            _ => throw new ArgumentOutOfRangeException(nameof(lineEnding), lineEnding, "unknown line ending"),
        },
        FramingKind.LengthPrefixed => LengthPrefixedFrameEncoder.Instance,
        FramingKind.Raw => RawFrameEncoder.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown framing"),
    };

    /// <summary>An independent copy of <paramref name="bytes"/> as a ByteString (wraps a fresh array, no second copy).</summary>
    internal static ByteString Copy(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? ByteString.Empty : ByteString.FromBytes(bytes.ToArray());

    internal static void EnsureRoom(int needed, Span<byte> destination)
    {
        if (destination.Length < needed)
            throw new ArgumentException($"destination has {destination.Length} bytes, {needed} needed", nameof(destination));
    }
}

/// <summary>Appends "\n" or "\r\n". Does not check the payload for line breaks: that is the protocol's job.</summary>
internal sealed class LineFrameEncoder : IFrameEncoder
{
    public static readonly LineFrameEncoder Lf = new(crlf: false);
    public static readonly LineFrameEncoder CrLf = new(crlf: true);

    private readonly bool _crlf;

    private LineFrameEncoder(bool crlf) => _crlf = crlf;

    public int FramedLength(int payloadLength) => checked(payloadLength + (_crlf ? 2 : 1));

    public int Encode(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        int total = FramedLength(payload.Length);
        FrameCodecs.EnsureRoom(total, destination);
        payload.CopyTo(destination);
        if (_crlf)
            destination[payload.Length] = (byte)'\r';
        destination[total - 1] = (byte)'\n';
        return total;
    }
}

/// <summary>Writes a 4-byte big-endian length, then the payload.</summary>
internal sealed class LengthPrefixedFrameEncoder : IFrameEncoder
{
    public const int PrefixLength = 4;
    public static readonly LengthPrefixedFrameEncoder Instance = new();

    private LengthPrefixedFrameEncoder() { }

    public int FramedLength(int payloadLength) => checked(payloadLength + PrefixLength);

    public int Encode(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        int total = FramedLength(payload.Length);
        FrameCodecs.EnsureRoom(total, destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)payload.Length);
        payload.CopyTo(destination[PrefixLength..]);
        return total;
    }
}

/// <summary>Copies the payload as-is.</summary>
internal sealed class RawFrameEncoder : IFrameEncoder
{
    public static readonly RawFrameEncoder Instance = new();

    private RawFrameEncoder() { }

    public int FramedLength(int payloadLength) => payloadLength;

    public int Encode(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        FrameCodecs.EnsureRoom(payload.Length, destination);
        payload.CopyTo(destination);
        return payload.Length;
    }
}
