using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor.Setup;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace ActorNet.Config;

/// <summary>
/// <c>actornet.cluster.tls</c>: Akka.Remote's DotNetty transport over mutual TLS. Every member presents its own
/// certificate (PKCS#12 with its key) and accepts a peer, inbound or outbound, only if the peer's certificate was
/// issued by the cluster's CA (<see cref="CaCertificatePath"/>, a PEM file) — not by whatever the OS trusts, so a
/// certificate bought for any web site cannot join. Hostnames are not checked (members are addressed by IP).
/// </summary>
/// <param name="CertificatePath">this node's PKCS#12 (.pfx/.p12) file: certificate and private key</param>
/// <param name="Password">the PKCS#12 password ("" = none)</param>
/// <param name="CaCertificatePath">PEM (or DER) certificate of the CA that signed every member's certificate</param>
/// <param name="SuppressValidation">dev only: accept any peer certificate (the traffic is still encrypted)</param>
public sealed record ClusterTlsSettings(bool Enabled, string CertificatePath, string Password, string CaCertificatePath, bool SuppressValidation)
{
    public static ClusterTlsSettings Disabled { get; } = new(false, "", "", "", false);

    /// <summary>The akka.remote keys TLS needs in HOCON; the certificates themselves come through <see cref="CreateSetup"/>.</summary>
    internal string ToHocon() => Enabled ? "akka.remote.dot-netty.tcp.enable-ssl = on\n" : "";

    /// <summary>
    /// The DotNettySslSetup the ActorSystem is created with (null when TLS is off): mutual authentication on,
    /// validation by <see cref="ValidateAgainstCa"/>. A programmatic setup because HOCON can only say "trust the OS
    /// store", and a private CA there would make every program on the machine trust the cluster's certificates.
    /// </summary>
    public Setup? CreateSetup()
    {
        if (!Enabled) return null;
        var certificate = LoadCertificate(CertificatePath, Password);
        var ca = LoadCa(CaCertificatePath);
        CertificateValidationCallback validator = SuppressValidation
            ? (_, _, _, _, _) => true
            : (cert, _, peer, errors, log) => ValidateAgainstCa(cert, ca, peer, errors, log);
        return new DotNettySslSetup(certificate, suppressValidation: SuppressValidation, requireMutualAuthentication: true,
            validateCertificateHostname: false, customValidator: validator);
    }

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="ca"/> (and only to it) and is in date.</summary>
    public static bool ValidateAgainstCa(X509Certificate2? certificate, X509Certificate2 ca, string peer, SslPolicyErrors errors, ILoggingAdapter? log)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            log?.Warning("cluster TLS: {0} presented no certificate; refused", peer);
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        // a private CA publishes no revocation list; revoke by re-issuing the CA (see README: Cluster TLS)
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(certificate)) return true;
        log?.Warning("cluster TLS: certificate {0} of {1} is not issued by the cluster CA {2}; refused: {3}",
            certificate.Subject, peer, ca.Subject, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())));
        return false;
    }

    internal static X509Certificate2 LoadCertificate(string path, string password) =>
        X509CertificateLoader.LoadPkcs12FromFile(path, password.Length == 0 ? null : password, X509KeyStorageFlags.EphemeralKeySet);

    internal static X509Certificate2 LoadCa(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes.Length > 0 && bytes[0] == (byte)'-'
            ? X509Certificate2.CreateFromPem(File.ReadAllText(path))
            : X509CertificateLoader.LoadCertificate(bytes);
    }
}

/// <summary>Parses and checks <c>actornet.cluster.tls</c>: the files must exist, load, and fit together, so that a
/// mistake fails at start with the key at fault instead of as a refused handshake later.</summary>
internal static class ClusterTlsSection
{
    private const string Path = "actornet.cluster.tls";

    public static ClusterTlsSettings Parse(Akka.Configuration.Config full, Akka.Configuration.Config given, ConfigErrors errors)
    {
        errors.UnknownKeys(given, Path, ["enabled", "certificate", "password", "ca-certificate", "suppress-validation"]);
        var c = full.GetConfig(Path);
        if (c is null) return ClusterTlsSettings.Disabled;
        var enabled = errors.Bool(c, Path, "enabled") ?? false;
        var certificate = errors.String(c, Path, "certificate") ?? "";
        var password = errors.String(c, Path, "password") ?? "";
        var ca = errors.String(c, Path, "ca-certificate") ?? "";
        var suppress = errors.Bool(c, Path, "suppress-validation") ?? false;
        var settings = new ClusterTlsSettings(enabled, certificate, password, ca, suppress);
        if (!enabled) return settings;

        X509Certificate2? own = null, caCert = null;
        if (certificate.Length == 0)
            errors.Add(Path + ".certificate", "TLS is on but no certificate is given (a PKCS#12 file; config/cluster/make-certs.sh makes one per node)");
        else if (!File.Exists(certificate))
            errors.Add(Path + ".certificate", $"no such file '{certificate}' (relative paths are from the working directory)");
        else
        {
            try
            {
                own = ClusterTlsSettings.LoadCertificate(certificate, password);
                if (!own.HasPrivateKey)
                    errors.Add(Path + ".certificate", $"'{certificate}' holds no private key (a PKCS#12 file with the node's key is needed)");
            }
            catch (CryptographicException e)
            {
                errors.Add(Path + ".certificate", $"cannot read '{certificate}' as PKCS#12 with the given password: {e.Message}");
            }
        }

        if (ca.Length == 0)
            errors.Add(Path + ".ca-certificate", "TLS is on but no CA certificate is given (the PEM of the CA that signed every member's certificate)");
        else if (!File.Exists(ca))
            errors.Add(Path + ".ca-certificate", $"no such file '{ca}' (relative paths are from the working directory)");
        else
        {
            try
            {
                caCert = ClusterTlsSettings.LoadCa(ca);
            }
            catch (CryptographicException e)
            {
                errors.Add(Path + ".ca-certificate", $"cannot read '{ca}' as a PEM or DER certificate: {e.Message}");
            }
        }

        if (own is not null && caCert is not null && !suppress &&
            !ClusterTlsSettings.ValidateAgainstCa(own, caCert, "this node", SslPolicyErrors.None, null))
            errors.Add(Path + ".certificate", $"'{certificate}' is not issued by the CA in '{ca}' (or is out of date): the other members would refuse it");
        own?.Dispose();
        caCert?.Dispose();
        return settings;
    }
}
