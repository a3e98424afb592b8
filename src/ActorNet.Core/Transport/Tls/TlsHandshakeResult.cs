using System.Security.Authentication;

namespace ActorNet.Transport.Tls;

/// <summary>Why a TLS handshake did not complete. Each ends the connection with
/// <see cref="DisconnectReason.TlsHandshakeFailed"/>; the kind goes into the log line.</summary>
public enum TlsFailure
{
    /// <summary>The first bytes were not a TLS handshake record (plain text on a TLS port).</summary>
    NotTls,
    /// <summary>The handshake did not finish within handshake-timeout.</summary>
    Timeout,
    /// <summary>The peer closed the socket before the handshake finished.</summary>
    PeerClosed,
    /// <summary>client-certificates = required and the client sent none.</summary>
    ClientCertificateMissing,
    /// <summary>The client's certificate is expired or not yet valid.</summary>
    ClientCertificateRejected,
    /// <summary>The upstream's certificate failed verification (outbound TLS with verify = true).</summary>
    ServerCertificateRejected,
    /// <summary>Anything else the TLS stack refused: a protocol version below min-version, no shared cipher, an alert
    /// from the peer (e.g. it rejected our certificate: wrong name for its SNI, expired, unknown CA).</summary>
    Protocol,
}

/// <summary>What a finished handshake established.</summary>
/// <param name="ServerName">the SNI host name the client asked for (server side), or the one we sent (client side)</param>
/// <param name="ClientCertificateFingerprint">SHA-256 of the client's certificate, lower-case hex (IRC CertFP); null without one</param>
public sealed record TlsSession(SslProtocols Protocol, string CipherSuite, string? ServerName, string? ClientCertificateFingerprint);

/// <summary>The outcome of <see cref="TlsLayer.HandshakeAsync"/>: a session, or a typed failure with a detail for the log.</summary>
public sealed record TlsHandshakeResult(TlsSession? Session, TlsFailure? Failure, string Detail)
{
    public bool Ok => Session is not null;

    public static TlsHandshakeResult Succeeded(TlsSession session) => new(session, null, "");

    public static TlsHandshakeResult Failed(TlsFailure failure, string detail) => new(null, failure, detail);

    /// <summary>The close reason a connection records for this outcome.</summary>
    public DisconnectReason? CloseReason => Ok ? null : DisconnectReason.TlsHandshakeFailed;
}

/// <summary>One read of plaintext (<see cref="TlsLayer.ReadPlaintextAsync"/>) or of ciphertext for the socket
/// (<see cref="TlsLayer.ReadCiphertextAsync"/>): bytes (a copy the caller owns), or the end of that direction,
/// with the error when it ended by failure.</summary>
public sealed record TlsRead(ReadOnlyMemory<byte> Data, bool End, string? Error = null)
{
    public static readonly TlsRead Ended = new(ReadOnlyMemory<byte>.Empty, true);
}
