using Akka.IO;

namespace ActorNet.Framing;

/// <summary>What a <see cref="WebSocketCodec"/> asks its connection to do, in order.</summary>
public abstract record WebSocketAction
{
    private WebSocketAction() { }

    /// <summary>Write the HTTP answer to the opening handshake. <paramref name="Accepted"/>: 101 Switching Protocols
    /// (frames flow from now on); otherwise a 4xx answer, always followed by a <see cref="Close"/>.</summary>
    /// <param name="Subprotocol">the negotiated Sec-WebSocket-Protocol, or null</param>
    public sealed record HandshakeResponse(ByteString Bytes, bool Accepted, string? Subprotocol) : WebSocketAction;

    /// <summary>One complete (reassembled, unmasked) message from the client.</summary>
    /// <param name="IsText">a text message (valid UTF-8, checked) rather than binary</param>
    public sealed record Frame(ByteString Payload, bool IsText) : WebSocketAction;

    /// <summary>Write these bytes as they are (a pong answering a ping).</summary>
    public sealed record Write(ByteString Bytes) : WebSocketAction;

    /// <summary>Close the connection: write <paramref name="Bytes"/> last (the close frame, or nothing when the
    /// handshake never completed), then close the socket. The codec accepts no more input.</summary>
    /// <param name="Code">the RFC 6455 status code (1000 when the client closed, 1002, 1007, 1009, ...)</param>
    /// <param name="Reason">why, for logs (also the close frame's reason text)</param>
    /// <param name="ClientInitiated">the client sent a close frame and this echoes it</param>
    public sealed record Close(ushort Code, string Reason, ByteString Bytes, bool ClientInitiated = false) : WebSocketAction;
}

/// <summary>RFC 6455 close status codes used by ActorNet.</summary>
public static class WebSocketCloseCodes
{
    /// <summary>Normal closure.</summary>
    public const ushort Normal = 1000;
    /// <summary>The endpoint is going away (server shutdown, connection killed).</summary>
    public const ushort GoingAway = 1001;
    /// <summary>Protocol error (unmasked client frame, bad opcode, reserved bits, bad control frame).</summary>
    public const ushort ProtocolError = 1002;
    /// <summary>A text message was not valid UTF-8.</summary>
    public const ushort InvalidPayload = 1007;
    /// <summary>Policy violation (slow consumer, flood).</summary>
    public const ushort PolicyViolation = 1008;
    /// <summary>A message was larger than max-frame-bytes.</summary>
    public const ushort MessageTooBig = 1009;
    /// <summary>The server hit an unexpected condition (handler failed).</summary>
    public const ushort InternalError = 1011;

    /// <summary>Codes a peer may send in a close frame (RFC 6455 §7.4): 1000-1003, 1007-1011, 3000-4999.</summary>
    public static bool IsValidReceived(int code) =>
        code is >= 1000 and <= 1003 or >= 1007 and <= 1011 or >= 3000 and <= 4999;
}
