using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorNet.Transport.Tls;

/// <summary>
/// <c>tls.dev-certificate = on</c>: a listener whose certificate and key files do not exist yet gets a development
/// pair made on the spot, so a fresh clone serves TLS without a committed private key. A local CA is made for it and
/// its certificate written beside them as <c>ca.crt</c> (what a client trusts: <c>irssi -tls_cafile</c>,
/// <c>openssl s_client -CAfile</c>); the CA's own key is thrown away, so nothing else can ever be signed with it.
/// The server certificate names localhost, 127.0.0.1 and ::1 and is valid for a year. Files that exist are never
/// touched (delete them to get a new pair).
/// </summary>
public static class DevCertificate
{
    /// <summary>Where the CA certificate of a pair generated for <paramref name="certificatePath"/> goes.</summary>
    public static string CaPath(string certificatePath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(certificatePath)) ?? ".", "ca.crt");

    /// <summary>Writes the pair (and ca.crt) unless the certificate or key already exists; true when it wrote them.</summary>
    public static bool EnsureExists(string certificatePath, string privateKeyPath, string[]? dnsNames = null)
    {
        if (File.Exists(certificatePath) || File.Exists(privateKeyPath)) return false;
        var dir = Path.GetDirectoryName(Path.GetFullPath(certificatePath)) ?? ".";
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(privateKeyPath)) ?? ".");
        // Two nodes (or a node and `actornet check`) starting at once must not write halves of two different pairs.
        using var guard = new FileStream(Path.Combine(dir, ".dev-certificate.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        if (File.Exists(certificatePath) || File.Exists(privateKeyPath)) return false;

        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=ActorNet development CA ({Environment.MachineName})", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = dnsNames ?? ["localhost"];
        var request = new CertificateRequest("CN=" + names[0], key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names) san.AddDnsName(name);
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddYears(1), RandomNumberGenerator.GetBytes(12));

        WriteFile(privateKeyPath, key.ExportPkcs8PrivateKeyPem(), secret: true);
        WriteFile(CaPath(certificatePath), ca.ExportCertificatePem(), secret: false);
        WriteFile(certificatePath, signed.ExportCertificatePem() + "\n", secret: false);
        return true;
    }

    private static void WriteFile(string path, string text, bool secret)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temp, options))
        using (var writer = new StreamWriter(file))
            writer.Write(text);
        File.Move(temp, path, overwrite: true);
    }
}
