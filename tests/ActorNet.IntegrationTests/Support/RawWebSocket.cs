using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorNet.IntegrationTests.Support;

/// <summary>
/// A hand-made WebSocket client over a plain TcpClient, for what ClientWebSocket refuses to produce (unmasked frames,
/// invalid UTF-8 in text, bad handshakes). Every read is bounded by a timeout.
/// </summary>
public sealed class RawWebSocket : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = new();

    private RawWebSocket(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawWebSocket> ConnectAsync(IPEndPoint endpoint)
    {
        var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        using var cts = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(endpoint, cts.Token);
        return new RawWebSocket(client);
    }

    /// <summary>Connects and completes a valid handshake; returns the client.</summary>
    public static async Task<RawWebSocket> OpenAsync(IPEndPoint endpoint)
    {
        var ws = await ConnectAsync(endpoint);
        await ws.SendAsync(Encoding.ASCII.GetBytes(
            "GET / HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var head = await ws.ReadHeadAsync();
        if (!head.StartsWith("HTTP/1.1 101 ", StringComparison.Ordinal)) throw new InvalidOperationException("handshake failed: " + head);
        return ws;
    }

    public async Task SendAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
    }

    /// <summary>Builds a client frame (masked unless told otherwise).</summary>
    public static byte[] Frame(byte opcode, byte[] payload, bool masked = true, bool fin = true)
    {
        var bytes = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        byte maskBit = masked ? (byte)0x80 : (byte)0;
        if (payload.Length <= 125) bytes.Add((byte)(maskBit | payload.Length));
        else
        {
            bytes.Add((byte)(maskBit | 126));
            bytes.Add((byte)(payload.Length >> 8));
            bytes.Add((byte)payload.Length);
        }

        byte[] mask = [0x12, 0x34, 0x56, 0x78];
        if (masked) bytes.AddRange(mask);
        for (int i = 0; i < payload.Length; i++) bytes.Add(masked ? (byte)(payload[i] ^ mask[i & 3]) : payload[i]);
        return bytes.ToArray();
    }

    /// <summary>Reads the HTTP response head (up to the blank line); anything after it stays buffered.</summary>
    public async Task<string> ReadHeadAsync()
    {
        while (true)
        {
            var text = Encoding.ASCII.GetString(_pending.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.RemoveRange(0, end + 4);
                return text[..end];
            }

            if (!await FillAsync()) return text;
        }
    }

    /// <summary>Reads everything until the server closes the connection.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        while (await FillAsync()) { }
        var all = _pending.ToArray();
        _pending.Clear();
        return all;
    }

    /// <summary>The next server frame (opcode, payload), or null at end of stream.</summary>
    public async Task<(byte Opcode, byte[] Payload)?> ReadFrameAsync()
    {
        while (true)
        {
            if (_pending.Count >= 2)
            {
                int code = _pending[1] & 0x7F;
                int header = code == 126 ? 4 : code == 127 ? 10 : 2;
                if (_pending.Count >= header)
                {
                    var span = _pending.ToArray();
                    long length = code == 126 ? BinaryPrimitives.ReadUInt16BigEndian(span.AsSpan(2)) : code == 127 ? (long)BinaryPrimitives.ReadUInt64BigEndian(span.AsSpan(2)) : code;
                    if (_pending.Count >= header + length)
                    {
                        var payload = span[header..(header + (int)length)];
                        _pending.RemoveRange(0, header + (int)length);
                        return ((byte)(span[0] & 0x0F), payload);
                    }
                }
            }

            if (!await FillAsync()) return null;
        }
    }

    /// <summary>Reads frames until a close frame; returns its status code (fails if the stream ends first).</summary>
    public async Task<ushort> ReadCloseCodeAsync()
    {
        while (await ReadFrameAsync() is { } frame)
            if (frame.Opcode == 0x8) return BinaryPrimitives.ReadUInt16BigEndian(frame.Payload);
        throw new Xunit.Sdk.XunitException("the connection ended without a close frame");
    }

    private async Task<bool> FillAsync()
    {
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(Timeout);
        int n;
        try
        {
            n = await _stream.ReadAsync(buffer, cts.Token);
        }
        catch (IOException)
        {
            return false;
        }

        _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        return n > 0;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
