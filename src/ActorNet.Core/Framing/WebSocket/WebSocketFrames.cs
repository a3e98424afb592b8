using System.Buffers.Binary;
using System.Text.Unicode;
using Akka.IO;

namespace ActorNet.Framing;

/// <summary>RFC 6455 frame opcodes.</summary>
public enum WebSocketOpcode : byte
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

/// <summary>Server → client frames: never masked, always final (one frame per message).</summary>
public static class WebSocketFrames
{
    /// <summary>Largest control frame payload (RFC 6455 §5.5).</summary>
    public const int MaxControlPayload = 125;

    /// <summary>Header length of an unmasked frame carrying <paramref name="payloadLength"/> bytes.</summary>
    public static int HeaderLength(long payloadLength) => payloadLength switch
    {
        <= 125 => 2,
        <= ushort.MaxValue => 4,
        _ => 10,
    };

    /// <summary>Writes a final, unmasked frame header; returns its length.</summary>
    public static int WriteHeader(WebSocketOpcode opcode, long payloadLength, Span<byte> destination)
    {
        int header = HeaderLength(payloadLength);
        FrameCodecs.EnsureRoom(header, destination);
        destination[0] = (byte)(0x80 | (byte)opcode);
        switch (header)
        {
            case 2:
                destination[1] = (byte)payloadLength;
                break;
            case 4:
                destination[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
                break;
            default:
                destination[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
                break;
        }

        return header;
    }

    /// <summary>One complete frame as a new ByteString.</summary>
    public static ByteString Encode(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[HeaderLength(payload.Length) + payload.Length];
        int header = WriteHeader(opcode, payload.Length, bytes);
        payload.CopyTo(bytes.AsSpan(header));
        return ByteString.FromBytes(bytes);
    }

    /// <summary>A close frame with a status code and a reason (cut to fit 125 bytes, on a UTF-8 boundary).</summary>
    public static ByteString Close(ushort code, string reason)
    {
        Span<byte> payload = stackalloc byte[MaxControlPayload];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        int length = 2 + Truncate(reason, payload[2..]);
        return Encode(WebSocketOpcode.Close, payload[..length]);
    }

    /// <summary>The pong answering a ping with <paramref name="payload"/> (at most 125 bytes).</summary>
    public static ByteString Pong(ReadOnlySpan<byte> payload) => Encode(WebSocketOpcode.Pong, payload);

    /// <summary>UTF-8 bytes of <paramref name="text"/> that fit in <paramref name="destination"/>, cut between characters.</summary>
    private static int Truncate(string text, Span<byte> destination)
    {
        Utf8.FromUtf16(text, destination, out _, out int written, replaceInvalidSequences: true, isFinalBlock: true);
        return written;
    }
}

/// <summary>
/// Frames each payload the handler sends as one final, unmasked data frame: text (or, when the payload is not valid
/// UTF-8, binary, so a text frame never breaks RFC 6455), or always binary when the client negotiated binary.ircv3.net.
/// Stateless and shareable.
/// </summary>
public sealed class WebSocketFrameEncoder : IFrameEncoder
{
    /// <summary>Text frames (binary for payloads that are not UTF-8).</summary>
    public static readonly WebSocketFrameEncoder Text = new(binary: false);

    /// <summary>Binary frames.</summary>
    public static readonly WebSocketFrameEncoder Binary = new(binary: true);

    private readonly bool _binary;

    private WebSocketFrameEncoder(bool binary) => _binary = binary;

    public int FramedLength(int payloadLength) => checked(WebSocketFrames.HeaderLength(payloadLength) + payloadLength);

    public int Encode(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        int total = FramedLength(payload.Length);
        FrameCodecs.EnsureRoom(total, destination);
        var opcode = _binary || !Utf8.IsValid(payload) ? WebSocketOpcode.Binary : WebSocketOpcode.Text;
        int header = WebSocketFrames.WriteHeader(opcode, payload.Length, destination);
        payload.CopyTo(destination[header..]);
        return total;
    }

    /// <summary>For logs.</summary>
    public override string ToString() => _binary ? "websocket-binary" : "websocket-text";
}
