using System.Buffers.Binary;
using System.Text;
using ActorNet.Framing;

namespace ActorNet.Core.Tests.Framing.WebSocket;

/// <summary>Builds client-side WebSocket bytes (requests and frames, masked or not) for codec tests.</summary>
internal static class WebSocketTestUtil
{
    /// <summary>The RFC 6455 §1.3 sample key and its accept value.</summary>
    public const string SampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
    public const string SampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    public static string Request(string path = "/", string method = "GET", string version = "13", string? key = SampleKey,
        string? protocols = null, string http = "HTTP/1.1", bool upgrade = true, bool host = true)
    {
        var sb = new StringBuilder($"{method} {path} {http}\r\n");
        if (host) sb.Append("Host: 127.0.0.1:8081\r\n");
        if (upgrade) sb.Append("Upgrade: websocket\r\n");
        sb.Append("Connection: keep-alive, Upgrade\r\n");
        if (key is not null) sb.Append($"Sec-WebSocket-Key: {key}\r\n");
        sb.Append($"Sec-WebSocket-Version: {version}\r\n");
        if (protocols is not null) sb.Append($"Sec-WebSocket-Protocol: {protocols}\r\n");
        return sb.Append("\r\n").ToString();
    }

    public static byte[] RequestBytes(string path = "/", string? protocols = null) => Encoding.ASCII.GetBytes(Request(path, protocols: protocols));

    /// <summary>One client frame. <paramref name="rsv"/> is OR-ed into the first byte (0x70 = all reserved bits).</summary>
    public static byte[] Frame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true,
        byte rsv = 0, uint maskKey = 0x37FA213D, long? declaredLength = null)
    {
        long length = declaredLength ?? payload.Length;
        var bytes = new List<byte> { (byte)((fin ? 0x80 : 0) | rsv | (byte)opcode) };
        byte maskBit = masked ? (byte)0x80 : (byte)0;
        if (length <= 125) bytes.Add((byte)(maskBit | length));
        else if (length <= ushort.MaxValue)
        {
            bytes.Add((byte)(maskBit | 126));
            bytes.Add((byte)(length >> 8));
            bytes.Add((byte)length);
        }
        else
        {
            bytes.Add((byte)(maskBit | 127));
            var ext = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(ext, (ulong)length);
            bytes.AddRange(ext);
        }

        var mask = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(mask, maskKey);
        if (masked) bytes.AddRange(mask);
        for (int i = 0; i < payload.Length; i++)
            bytes.Add(masked ? (byte)(payload[i] ^ mask[i & 3]) : payload[i]);
        return bytes.ToArray();
    }

    public static byte[] Text(string text, bool fin = true) => Frame(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(text), fin);

    public static byte[] CloseFrame(ushort code, string reason = "")
    {
        var payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return Frame(WebSocketOpcode.Close, payload);
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A codec past its handshake (the 101 action is checked and dropped).</summary>
    public static WebSocketCodec Open(int max = 1024, string? protocols = null)
    {
        var codec = new WebSocketCodec(new WebSocketOptions(max));
        var actions = new List<WebSocketAction>();
        codec.Feed(RequestBytes(protocols: protocols), actions);
        if (actions is not [WebSocketAction.HandshakeResponse { Accepted: true }])
            throw new InvalidOperationException("handshake failed: " + string.Join(", ", actions));
        return codec;
    }

    public static List<WebSocketAction> Feed(WebSocketCodec codec, byte[] bytes, bool byteAtATime = false)
    {
        var actions = new List<WebSocketAction>();
        if (byteAtATime)
            foreach (var b in bytes) codec.Feed([b], actions);
        else
            codec.Feed(bytes, actions);
        return actions;
    }

    /// <summary>Parses a server frame (unmasked, final): opcode and payload.</summary>
    public static (WebSocketOpcode Opcode, byte[] Payload) ParseServerFrame(ReadOnlySpan<byte> frame)
    {
        if ((frame[0] & 0x80) == 0 || (frame[1] & 0x80) != 0) throw new InvalidOperationException("not a final unmasked frame");
        int code = frame[1] & 0x7F;
        int header = code == 126 ? 4 : code == 127 ? 10 : 2;
        long length = code == 126 ? BinaryPrimitives.ReadUInt16BigEndian(frame[2..]) : code == 127 ? (long)BinaryPrimitives.ReadUInt64BigEndian(frame[2..]) : code;
        if (frame.Length != header + length) throw new InvalidOperationException($"frame is {frame.Length} bytes, header says {header}+{length}");
        return ((WebSocketOpcode)(frame[0] & 0x0F), frame[header..].ToArray());
    }

    public static ushort CloseCodeOf(ReadOnlySpan<byte> closeFrame)
    {
        var (opcode, payload) = ParseServerFrame(closeFrame);
        if (opcode != WebSocketOpcode.Close) throw new InvalidOperationException("not a close frame");
        return BinaryPrimitives.ReadUInt16BigEndian(payload);
    }
}
