using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using Akka.IO;

namespace ActorNet.Framing;

/// <summary>Settings of one <see cref="WebSocketCodec"/>.</summary>
/// <param name="MaxMessageBytes">largest message (all fragments together) accepted; more = close 1009</param>
/// <param name="Path">the request path the listener serves (others get 404)</param>
/// <param name="MaxHandshakeBytes">largest opening handshake request head</param>
/// <param name="Origins">which pages may open the socket (the Origin check); null = no check</param>
public sealed record WebSocketOptions(int MaxMessageBytes, string Path = "/", int MaxHandshakeBytes = 8192, OriginPolicy? Origins = null);

/// <summary>
/// The server side of one RFC 6455 connection as a pure, stateful byte consumer: the opening handshake, then client
/// frames (masked, possibly fragmented, interleaved with control frames) turned into <see cref="WebSocketAction"/>s:
/// complete messages, pongs to write, and a close with its status code on any protocol error (1002), bad UTF-8 in a
/// text message (1007), a message over the limit (1009, seen from the frame header before any payload is buffered)
/// or the client's own close (echoed). One instance per connection; not thread-safe; never throws on any input.
/// </summary>
public sealed class WebSocketCodec : IDisposable
{
    private enum Phase { Handshake, Header, Payload, Closed }

    private const int MaxHeaderBytes = 14;
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private readonly WebSocketOptions _options;
    private readonly PooledByteBuffer _request;
    private readonly PooledByteBuffer _message;
    private readonly byte[] _header = new byte[MaxHeaderBytes];
    private readonly byte[] _control = new byte[WebSocketFrames.MaxControlPayload];
    private readonly byte[] _mask = new byte[4];
    private Phase _phase = Phase.Handshake;
    private int _headerHave;
    private int _headerNeed = 2;
    private bool _fin;
    private WebSocketOpcode _opcode;
    private long _remaining;
    private int _maskIndex;
    private int _controlLength;
    private WebSocketOpcode? _messageOpcode;

    public WebSocketCodec(WebSocketOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessageBytes, 1);
        _options = options;
        _request = new PooledByteBuffer(options.MaxHandshakeBytes);
        _message = new PooledByteBuffer(options.MaxMessageBytes);
    }

    /// <summary>101 was answered: frames flow.</summary>
    public bool HandshakeCompleted { get; private set; }

    /// <summary>The negotiated subprotocol (text.ircv3.net, binary.ircv3.net) or null.</summary>
    public string? Subprotocol { get; private set; }

    /// <summary>A <see cref="WebSocketAction.Close"/> was returned: the codec ignores further input.</summary>
    public bool IsClosed => _phase == Phase.Closed;

    /// <summary>Bytes held for an incomplete request head, frame header, or message.</summary>
    public int BufferedBytes => _request.Length + _headerHave + _controlLength + _message.Length;

    /// <summary>Consumes <paramref name="input"/> (copied as needed) and appends what to do to <paramref name="actions"/>.</summary>
    public void Feed(ReadOnlySpan<byte> input, List<WebSocketAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        while (!input.IsEmpty)
        {
            switch (_phase)
            {
                case Phase.Handshake:
                    input = FeedHandshake(input, actions);
                    break;
                case Phase.Header:
                    input = FeedHeader(input, actions);
                    break;
                case Phase.Payload:
                    input = FeedPayload(input, actions);
                    break;
                default:
                    return;
            }
        }
    }

    public void Dispose()
    {
        _phase = Phase.Closed;
        _request.Dispose();
        _message.Dispose();
    }

    private ReadOnlySpan<byte> FeedHandshake(ReadOnlySpan<byte> input, List<WebSocketAction> actions)
    {
        int before = _request.Length;
        int take = Math.Min(input.Length, _options.MaxHandshakeBytes - before);
        _request.Append(input[..take]);
        int from = Math.Max(0, before - 3);
        int end = _request.Span[from..].IndexOf(HeadEnd);
        if (end < 0)
        {
            if (_request.Length >= _options.MaxHandshakeBytes)
            {
                Refuse(WebSocketHandshake.ErrorResponse(400, "Bad Request", "request head too large"), "request head too large", actions);
                return default;
            }

            return input[take..];
        }

        end += from;
        var result = WebSocketHandshake.Respond(_request.Span[..end], _options.Path, _options.Origins);
        int consumed = end + HeadEnd.Length - before;
        _request.Dispose();
        if (!result.Accepted)
        {
            Refuse(result.Response, $"handshake refused ({result.Status}): {result.Error}", actions);
            return default;
        }

        HandshakeCompleted = true;
        Subprotocol = result.Subprotocol;
        actions.Add(new WebSocketAction.HandshakeResponse(result.Response, true, result.Subprotocol));
        _phase = Phase.Header;
        return input[consumed..];
    }

    private void Refuse(ByteString response, string reason, List<WebSocketAction> actions)
    {
        actions.Add(new WebSocketAction.HandshakeResponse(response, false, null));
        actions.Add(new WebSocketAction.Close(WebSocketCloseCodes.ProtocolError, reason, ByteString.Empty));
        Stop();
    }

    private ReadOnlySpan<byte> FeedHeader(ReadOnlySpan<byte> input, List<WebSocketAction> actions)
    {
        int take = Math.Min(input.Length, _headerNeed - _headerHave);
        input[..take].CopyTo(_header.AsSpan(_headerHave));
        _headerHave += take;
        input = input[take..];
        if (_headerHave < _headerNeed) return input;

        if (_headerNeed == 2)
        {
            if (CheckFirstTwo() is { } error)
            {
                Fail(WebSocketCloseCodes.ProtocolError, error, actions);
                return default;
            }

            int lengthCode = _header[1] & 0x7F;
            _headerNeed = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + 4;
            return input;
        }

        int code = _header[1] & 0x7F;
        ulong length = code switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
            127 => BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)),
            _ => (ulong)code,
        };
        if (length > long.MaxValue)
        {
            Fail(WebSocketCloseCodes.ProtocolError, "payload length has its top bit set", actions);
            return default;
        }

        bool control = _opcode >= WebSocketOpcode.Close;
        if (!control && (ulong)_message.Length + length > (ulong)_options.MaxMessageBytes)
        {
            Fail(WebSocketCloseCodes.MessageTooBig, $"message over {_options.MaxMessageBytes} bytes", actions);
            return default;
        }

        _header.AsSpan(_headerNeed - 4, 4).CopyTo(_mask);
        _maskIndex = 0;
        _remaining = (long)length;
        _controlLength = 0;
        _headerHave = 0;
        _headerNeed = 2;
        _phase = Phase.Payload;
        if (_remaining == 0) CompleteFrame(actions);
        return input;
    }

    /// <summary>Checks what the first two header bytes say; returns why they are a protocol error, or null.</summary>
    private string? CheckFirstTwo()
    {
        byte b0 = _header[0], b1 = _header[1];
        if ((b0 & 0x70) != 0) return "reserved bits set (no extension was negotiated)";
        _fin = (b0 & 0x80) != 0;
        _opcode = (WebSocketOpcode)(b0 & 0x0F);
        if ((b1 & 0x80) == 0) return "client frame not masked";
        switch (_opcode)
        {
            case WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong:
                if (!_fin) return "fragmented control frame";
                if ((b1 & 0x7F) > WebSocketFrames.MaxControlPayload) return "control frame over 125 bytes";
                return null;
            case WebSocketOpcode.Text or WebSocketOpcode.Binary:
                return _messageOpcode is null ? null : "new data frame inside a fragmented message";
            case WebSocketOpcode.Continuation:
                return _messageOpcode is null ? "continuation frame without a message to continue" : null;
            default:
                return $"unknown opcode 0x{(int)_opcode:X}";
        }
    }

    private ReadOnlySpan<byte> FeedPayload(ReadOnlySpan<byte> input, List<WebSocketAction> actions)
    {
        int take = (int)Math.Min(input.Length, _remaining);
        var chunk = input[..take];
        if (_opcode >= WebSocketOpcode.Close)
        {
            Unmask(chunk, _control.AsSpan(_controlLength, take));
            _controlLength += take;
        }
        else
        {
            Span<byte> scratch = stackalloc byte[512];
            for (var rest = chunk; !rest.IsEmpty;)
            {
                int n = Math.Min(rest.Length, scratch.Length);
                Unmask(rest[..n], scratch[..n]);
                _message.Append(scratch[..n]);
                rest = rest[n..];
            }
        }

        _remaining -= take;
        if (_remaining == 0) CompleteFrame(actions);
        return input[take..];
    }

    private void Unmask(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        for (int i = 0; i < source.Length; i++)
            destination[i] = (byte)(source[i] ^ _mask[(_maskIndex + i) & 3]);
        _maskIndex = (_maskIndex + source.Length) & 3;
    }

    private void CompleteFrame(List<WebSocketAction> actions)
    {
        _phase = Phase.Header;
        switch (_opcode)
        {
            case WebSocketOpcode.Ping:
                actions.Add(new WebSocketAction.Write(WebSocketFrames.Pong(_control.AsSpan(0, _controlLength))));
                break;
            case WebSocketOpcode.Pong:
                break;
            case WebSocketOpcode.Close:
                OnClose(_control.AsSpan(0, _controlLength), actions);
                break;
            default:
                _messageOpcode ??= _opcode;
                if (!_fin) break;
                bool text = _messageOpcode == WebSocketOpcode.Text;
                _messageOpcode = null;
                if (text && !Utf8.IsValid(_message.Span))
                {
                    Fail(WebSocketCloseCodes.InvalidPayload, "text message is not valid UTF-8", actions);
                    return;
                }

                actions.Add(new WebSocketAction.Frame(FrameCodecs.Copy(_message.Span), text));
                _message.Clear();
                break;
        }
    }

    /// <summary>The client's close frame: echo its code (1000 if it gave none); a malformed one is a protocol error.</summary>
    private void OnClose(ReadOnlySpan<byte> payload, List<WebSocketAction> actions)
    {
        if (payload.Length == 1)
        {
            Fail(WebSocketCloseCodes.ProtocolError, "close frame with a 1-byte payload", actions);
            return;
        }

        ushort code = WebSocketCloseCodes.Normal;
        string reason = "";
        if (payload.Length >= 2)
        {
            code = BinaryPrimitives.ReadUInt16BigEndian(payload);
            if (!WebSocketCloseCodes.IsValidReceived(code))
            {
                Fail(WebSocketCloseCodes.ProtocolError, $"invalid close code {code}", actions);
                return;
            }

            if (!Utf8.IsValid(payload[2..]))
            {
                Fail(WebSocketCloseCodes.InvalidPayload, "close reason is not valid UTF-8", actions);
                return;
            }

            reason = Encoding.UTF8.GetString(payload[2..]);
        }

        actions.Add(new WebSocketAction.Close(code, reason.Length == 0 ? "client closed" : "client closed: " + reason,
            WebSocketFrames.Close(code, ""), ClientInitiated: true));
        Stop();
    }

    private void Fail(ushort code, string reason, List<WebSocketAction> actions)
    {
        actions.Add(new WebSocketAction.Close(code, reason, HandshakeCompleted ? WebSocketFrames.Close(code, reason) : ByteString.Empty));
        Stop();
    }

    private void Stop()
    {
        _phase = Phase.Closed;
        _message.Clear();
        _headerHave = 0;
        _controlLength = 0;
    }
}
