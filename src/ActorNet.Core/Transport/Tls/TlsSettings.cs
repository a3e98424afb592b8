using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ActorNet.Transport.Tls;

/// <summary><c>tls.client-certificates</c>: whether the server asks for a client certificate (for CertFP, not for a CA
/// chain: any certificate that is not expired is accepted and identified by its SHA-256 fingerprint).</summary>
public enum ClientCertificateMode { None, Optional, Required }

/// <summary>
/// A listener's <c>tls { }</c> block, parsed once: the PEM files (loaded and checked at config time, so a reload
/// that names a broken key is refused before anything changes), the lowest protocol version, client certificates
/// and the handshake timeout. Two settings are equal when they name the same files with the same certificate
/// (thumbprint) and options: a renewed certificate at the same path is a change, and a reload swaps it.
/// </summary>
public sealed record TlsSettings(
    string CertificatePath,
    string PrivateKeyPath,
    SslProtocols MinVersion,
    ClientCertificateMode ClientCertificates,
    TimeSpan HandshakeTimeout,
    X509Certificate2 Certificate)
{
    // Built once per loaded certificate (the chain is resolved here, not per handshake). A reload makes new
    // settings and so a new context; never change Certificate with `with`, load new settings instead.
    private readonly Lazy<SslStreamCertificateContext> _context =
        new(() => SslStreamCertificateContext.Create(Certificate, additionalCertificates: null, offline: true));

    /// <summary><c>dev-certificate = on</c>: the CA file clients trust for the development pair (null otherwise).</summary>
    public string? DevCa { get; init; }

    /// <summary>What every handshake of this listener presents.</summary>
    public SslStreamCertificateContext CertificateContext => _context.Value;

    /// <summary>The protocols SslStream may negotiate: min-version and everything newer.</summary>
    public SslProtocols EnabledProtocols => MinVersion == SslProtocols.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>SHA-1 thumbprint of the loaded certificate (what changes when the files are renewed).</summary>
    public string Thumbprint => Certificate.Thumbprint;

    public bool Equals(TlsSettings? other) =>
        other is not null && CertificatePath == other.CertificatePath && PrivateKeyPath == other.PrivateKeyPath
        && MinVersion == other.MinVersion && ClientCertificates == other.ClientCertificates
        && HandshakeTimeout == other.HandshakeTimeout && Thumbprint == other.Thumbprint;

    public override int GetHashCode() => HashCode.Combine(CertificatePath, PrivateKeyPath, MinVersion, ClientCertificates, HandshakeTimeout, Thumbprint);
}

/// <summary>A forward listener's <c>upstream-tls { }</c>: originate TLS to the upstream.</summary>
/// <param name="ServerName">SNI and the name the upstream's certificate must carry (default: the upstream host)</param>
/// <param name="Verify">check the upstream's certificate chain and name (off only for test setups)</param>
public sealed record UpstreamTlsSettings(string ServerName, bool Verify, TimeSpan HandshakeTimeout)
{
    /// <summary><c>ca-certificate</c>: a PEM file of the roots to trust instead of the system's (a private CA); null = system trust.</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>The client side of one upstream connection (the CA file is read per link: a renewed file is picked up).</summary>
    public TlsClientOptions ClientOptions()
    {
        X509Certificate2Collection? roots = null;
        if (CaCertificatePath is { } path)
        {
            roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(path);
        }

        return new TlsClientOptions(ServerName, Verify, HandshakeTimeout, roots);
    }
}
