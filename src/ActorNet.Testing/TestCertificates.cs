using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorNet.Testing;

/// <summary>
/// Throwaway certificates for tests of TLS listeners, made with <see cref="CertificateRequest"/> so no private key is
/// ever committed: a CA, server certificates it signs (for localhost and 127.0.0.1 by default), self-signed client
/// certificates (IRC CertFP), and PEM files of them for a node's <c>tls { certificate, private-key }</c>.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string caName = "ActorNet Test CA")
    {
        var request = new CertificateRequest("CN=" + caName, _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Ca = request.CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
    }

    /// <summary>The CA (with its key). Trust it in a client: <c>TrustedRoots = [Ca]</c>, or its PEM file.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>A server certificate signed by <see cref="Ca"/> for <paramref name="dnsNames"/> (default localhost)
    /// and 127.0.0.1/::1, valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> (default: now ± days).</summary>
    public X509Certificate2 Server(string[]? dnsNames = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ActorNet.Transport.Tls.DevCertificate.ServerRequest(key, dnsNames ?? ["localhost"]);
        var now = DateTimeOffset.UtcNow;
        using var signed = request.Create(Ca, notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(7), RandomNumberGenerator.GetBytes(12));
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A self-signed client certificate (what irssi's -tls_cert or weechat's tls_cert present for CertFP).</summary>
    public static X509Certificate2 Client(string name = "test-client", DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        var after = notAfter ?? now.AddDays(7);
        return request.CreateSelfSigned(after < now ? after.AddDays(-7) : now.AddDays(-1), after);
    }

    /// <summary>Writes <paramref name="certificate"/> and its private key as PEM files into <paramref name="directory"/>;
    /// returns their paths (for <c>tls { certificate = ..., private-key = ... }</c>).</summary>
    public static (string Certificate, string PrivateKey) WritePem(X509Certificate2 certificate, string directory, string name = "server")
    {
        Directory.CreateDirectory(directory);
        var certPath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the certificate has no ECDSA private key", nameof(certificate));
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    /// <summary>Writes the CA certificate (no key) as PEM, for clients that take a CA file (openssl -CAfile, irssi -tls_cafile).</summary>
    public string WriteCaPem(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "ca.crt");
        File.WriteAllText(path, Ca.ExportCertificatePem());
        return path;
    }

    public void Dispose()
    {
        Ca.Dispose();
        _caKey.Dispose();
    }
}
