using ActorNet.Config;
using ActorNet.Framing;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Transport;

/// <summary>
/// The WebSocket side of <see cref="Connection"/> (transport = websocket): the pure <see cref="WebSocketCodec"/>
/// replaces the frame decoder; each complete message is one frame for the handler, and each payload the handler sends
/// leaves as one data frame. The handler starts only once the handshake is accepted; the handshake answer, pongs and
/// close frames go through the same outbound queue, raw. Every close the connection decides on sends a close frame
/// with a status code that matches its <see cref="DisconnectReason"/>.
/// </summary>
public sealed partial class Connection
{
    /// <summary>How long a client may take to send its opening handshake (<c>actornet.transport.websocket-handshake-timeout</c>).</summary>
    private TimeSpan HandshakeTimeout => Context.System.Settings.Config.GetTimeSpan("actornet.transport.websocket-handshake-timeout", TimeSpan.FromSeconds(10));

    private sealed record HandshakeTimedOut
    {
        public static readonly HandshakeTimedOut Instance = new();
    }

    private readonly WebSocketCodec? _ws;
    private readonly List<WebSocketAction> _wsActions = new();
    private bool _wsCloseSent;

    private WebSocketCodec? CreateWebSocketCodec(ConnectionSetup setup) =>
        setup.Listener.Transport == TransportKind.WebSocket
            ? new WebSocketCodec(new WebSocketOptions(setup.Listener.MaxFrameBytes, setup.Listener.WebSocketPath,
                Origins: setup.Listener.AllowedOrigins ?? OriginPolicy.SelfServed(setup.Info.Local as System.Net.IPEndPoint, _runtime.AdminEndpoint)))
            : null;

    /// <summary>Bytes from the socket of a websocket connection, through the codec.</summary>
    private void OnWebSocketBytes(ByteString data)
    {
        _wsActions.Clear();
        _ws!.Feed(data.ToReadOnlySpan(), _wsActions);
        foreach (var action in _wsActions)
        {
            switch (action)
            {
                case WebSocketAction.HandshakeResponse response:
                    WriteRaw(response.Bytes);
                    if (response.Accepted) OnHandshakeAccepted(response.Subprotocol);
                    break;
                case WebSocketAction.Frame frame:
                    _counters.FramesIn(1);
                    if (DeliverUp(frame.Payload)) break;
                    _wsActions.Clear();
                    return; // a toxic reset the connection
                case WebSocketAction.Write write:
                    WriteRaw(write.Bytes);
                    break;
                case WebSocketAction.Close close:
                    OnWebSocketClose(close);
                    break;
            }
        }

        _wsActions.Clear();
    }

    private void OnHandshakeAccepted(string? subprotocol)
    {
        Timers.Cancel(HandshakeTimedOut.Instance);
        if (subprotocol == WebSocketHandshake.BinaryIrcV3) _encoder = WebSocketFrameEncoder.Binary;
        Log.Debug("connection {ConnectionId} on {Listener}: websocket handshake accepted (subprotocol {Subprotocol})",
            _info.Id, _info.Listener, subprotocol ?? "-");
        StartHandler();
    }

    private void OnWebSocketClose(WebSocketAction.Close close)
    {
        var reason = close.ClientInitiated ? DisconnectReason.ClientClosed
            : close.Code == WebSocketCloseCodes.MessageTooBig ? DisconnectReason.FrameTooLong
            : DisconnectReason.MalformedFrame;
        if (!_ws!.HandshakeCompleted) // a plain HTTP request, a scanner, a wrong path: not worth a warning
            Log.Info("connection {ConnectionId} on {Listener} from {Remote}: {Error}", _info.Id, _info.Listener, _info.Remote, close.Reason);
        else if (!close.ClientInitiated)
            Log.Warning("connection {ConnectionId} on {Listener} from {Remote}: websocket error {Code}: {Error}",
                _info.Id, _info.Listener, _info.Remote, close.Code, close.Reason);
        if (reason == DisconnectReason.FrameTooLong)
            SendErrorFrame(reason, $"frame too long (max {Listener.MaxFrameBytes} bytes)");
        FlushDownLane();
        if (SocketClosing) return;
        _wsCloseSent = true;
        if (!close.Bytes.IsEmpty) WriteRaw(close.Bytes);
        BeginClose(reason, $"websocket {close.Code}: {close.Reason}");
    }

    private void StartHandshakeTimer() =>
        Timers.StartSingleTimer(HandshakeTimedOut.Instance, HandshakeTimedOut.Instance, HandshakeTimeout);

    private void OnHandshakeTimeout()
    {
        if (_ws is not { HandshakeCompleted: false }) return;
        Log.Info("connection {ConnectionId} on {Listener} from {Remote}: no websocket handshake within {Timeout}", _info.Id, _info.Listener, _info.Remote, HandshakeTimeout);
        WriteRaw(WebSocketHandshake.ErrorResponse(408, "Request Timeout", "no websocket handshake"));
        BeginClose(DisconnectReason.IdleTimeout, "no websocket handshake");
    }

    /// <summary>The close frame for a close the connection decided on (once, and only after the handshake).</summary>
    private void SendWebSocketClose(DisconnectReason reason, string? detail)
    {
        if (_ws is null) return;
        Timers.Cancel(HandshakeTimedOut.Instance);
        if (_ws is not { HandshakeCompleted: true } || _wsCloseSent) return;
        _wsCloseSent = true;
        WriteRaw(WebSocketFrames.Close(CloseCodeFor(reason), detail ?? reason.ToString()));
    }

    /// <summary>The RFC 6455 status code a server-side close carries.</summary>
    internal static ushort CloseCodeFor(DisconnectReason reason) => reason switch
    {
        DisconnectReason.Shutdown or DisconnectReason.Killed or DisconnectReason.Toxic => WebSocketCloseCodes.GoingAway,
        DisconnectReason.FrameTooLong => WebSocketCloseCodes.MessageTooBig,
        DisconnectReason.MalformedFrame => WebSocketCloseCodes.ProtocolError,
        DisconnectReason.SlowConsumer or DisconnectReason.Flood => WebSocketCloseCodes.PolicyViolation,
        DisconnectReason.HandlerFailed or DisconnectReason.UpstreamClosed or DisconnectReason.WriteFailed => WebSocketCloseCodes.InternalError,
        _ => WebSocketCloseCodes.Normal,
    };

    /// <summary>Bytes that are already framed (handshake answer, control frames): queued in order, not counted as frames.</summary>
    private void WriteRaw(ByteString bytes) => Enqueue(bytes, raw: true);
}
