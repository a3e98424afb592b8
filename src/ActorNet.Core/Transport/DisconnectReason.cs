namespace ActorNet.Transport;

/// <summary>Why a connection ended. Every close carries one; it goes into the close log line and (later) metrics.</summary>
public enum DisconnectReason
{
    /// <summary>The client closed its side (TCP FIN).</summary>
    ClientClosed,
    /// <summary>The connection failed or was reset by the peer.</summary>
    PeerReset,
    /// <summary>Nothing was received for the listener's idle-timeout.</summary>
    IdleTimeout,
    /// <summary>The client did not read fast enough: the outbound queue passed write-queue-limit-bytes.</summary>
    SlowConsumer,
    /// <summary>A frame was longer than max-frame-bytes.</summary>
    FrameTooLong,
    /// <summary>The input could not be framed (e.g. an invalid length prefix).</summary>
    MalformedFrame,
    /// <summary>The client sent faster than its flood limit allows.</summary>
    Flood,
    /// <summary>An operator or the fault injector killed the connection.</summary>
    Killed,
    /// <summary>The node (or its listener) is shutting down.</summary>
    Shutdown,
    /// <summary>The handler asked for the close (protocol QUIT, bad request, ...).</summary>
    HandlerClosed,
    /// <summary>The handler kept crashing: its restart budget is exhausted.</summary>
    HandlerFailed,
    /// <summary>An outbound link the handler depends on (e.g. a forward upstream) failed or closed.</summary>
    UpstreamClosed,
    /// <summary>The listener's max-connections or max-connections-per-ip was reached.</summary>
    TooManyConnections,
    /// <summary>Writing to the socket failed.</summary>
    WriteFailed,
    /// <summary>A fault-injection toxic (timeout, reset-after) ended the connection.</summary>
    Toxic,
    /// <summary>A TLS listener's handshake failed or timed out (plain text on a TLS port, a certificate the client
    /// refused, no client certificate where one is required, handshake-timeout).</summary>
    TlsHandshakeFailed,
}
