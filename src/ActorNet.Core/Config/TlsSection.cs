using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorNet.Transport.Tls;

namespace ActorNet.Config;

/// <summary>
/// Parses a listener's <c>tls { certificate, private-key, min-version, client-certificates, handshake-timeout }</c>
/// and a forward listener's <c>upstream-tls { server-name, verify, handshake-timeout }</c>. The PEM files are read
/// and the pair is checked here, so <c>actornet check</c> (and a reload) fail on a missing file, a key that does
/// not belong to the certificate, or an expired certificate, with the key's HOCON path.
/// </summary>
internal static class TlsSection
{
    private static readonly HashSet<string> Keys = ["certificate", "private-key", "min-version", "client-certificates", "handshake-timeout", "dev-certificate"];

    private static readonly HashSet<string> UpstreamKeys = ["server-name", "verify", "handshake-timeout", "ca-certificate"];

    private static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>null when the listener has no tls block (or it is broken: then errors say why).</summary>
    public static TlsSettings? Parse(Akka.Configuration.Config listener, string listenerPath, TransportKind? transport, ConfigErrors errors, TimeProvider? time = null)
    {
        if (!listener.HasPath("tls")) return null;
        var path = listenerPath + ".tls";
        if (!listener.GetValue("tls").IsObject())
        {
            errors.Add(path, "expected an object { certificate = \"server.crt\", private-key = \"server.key\" }");
            return null;
        }

        var c = listener.GetConfig("tls");
        var before = errors.Count;
        Unknown(c, path, Keys, errors);
        if (transport == TransportKind.Udp) errors.Add(path, "TLS is for transport = tcp or websocket (UDP would need DTLS)");

        var certPath = ExpandHome(Required(c, path, "certificate", "a PEM file with the server certificate (and its chain)", errors));
        var keyPath = ExpandHome(Required(c, path, "private-key", "a PEM file with the certificate's private key", errors));
        var dev = c.HasPath("dev-certificate") ? errors.Bool(c, path, "dev-certificate") : false;
        var minVersion = (errors.String(c, path, "min-version") ?? "1.2") switch
        {
            "1.2" => SslProtocols.Tls12,
            "1.3" => SslProtocols.Tls13,
            var other => Bad<SslProtocols>(errors, path + ".min-version", $"unknown TLS version '{other}' (expected \"1.2\" or \"1.3\")"),
        };
        var clientCerts = (errors.String(c, path, "client-certificates") ?? "none").ToLowerInvariant() switch
        {
            "none" => ClientCertificateMode.None,
            "optional" => ClientCertificateMode.Optional,
            "required" => ClientCertificateMode.Required,
            var other => Bad<ClientCertificateMode>(errors, path + ".client-certificates", $"unknown mode '{other}' (expected none, optional or required)"),
        };
        var timeout = c.HasPath("handshake-timeout") ? errors.Duration(c, path, "handshake-timeout") : DefaultHandshakeTimeout;
        if (timeout <= TimeSpan.Zero) errors.Add(path + ".handshake-timeout", $"must be > 0 (got {timeout})");

        if (errors.Count > before || certPath is null || keyPath is null) return null;
        string? devCa = null;
        if (dev == true)
        {
            try
            {
                DevCertificate.EnsureExists(certPath, keyPath);
                if (File.Exists(DevCertificate.CaPath(certPath))) devCa = DevCertificate.CaPath(certPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                errors.Add(path + ".dev-certificate", $"cannot write a development certificate to '{certPath}' / '{keyPath}': {e.Message}");
                return null;
            }
        }

        var certificate = Load(certPath, keyPath, path, errors, time ?? TimeProvider.System);
        return certificate is null ? null : new TlsSettings(certPath, keyPath, minVersion, clientCerts, timeout!.Value, certificate) { DevCa = devCa };
    }

    /// <summary>null when there is no upstream-tls block; the server name defaults to the upstream's host.</summary>
    public static UpstreamTlsSettings? ParseUpstream(Akka.Configuration.Config listener, string listenerPath, string? handler, HostPort? upstream, ConfigErrors errors)
    {
        if (!listener.HasPath("upstream-tls")) return null;
        var path = listenerPath + ".upstream-tls";
        if (!listener.GetValue("upstream-tls").IsObject())
        {
            errors.Add(path, "expected an object { server-name = \"example.org\", verify = true }");
            return null;
        }

        var c = listener.GetConfig("upstream-tls");
        var before = errors.Count;
        Unknown(c, path, UpstreamKeys, errors);
        if (handler != "forward") errors.Add(path, "upstream-tls is only for handler = forward");
        var serverName = errors.String(c, path, "server-name") ?? upstream?.Host;
        if (serverName is not null && Uri.CheckHostName(serverName) == UriHostNameType.Unknown)
            errors.Add(path + ".server-name", $"'{serverName}' is not a host name");
        var verify = c.HasPath("verify") ? errors.Bool(c, path, "verify") : true;
        var timeout = c.HasPath("handshake-timeout") ? errors.Duration(c, path, "handshake-timeout") : DefaultHandshakeTimeout;
        if (timeout <= TimeSpan.Zero) errors.Add(path + ".handshake-timeout", $"must be > 0 (got {timeout})");
        var ca = ExpandHome(errors.String(c, path, "ca-certificate"));
        if (!string.IsNullOrEmpty(ca))
        {
            try
            {
                var roots = new X509Certificate2Collection();
                roots.ImportFromPemFile(ca);
                if (roots.Count == 0) errors.Add(path + ".ca-certificate", $"'{ca}' holds no PEM certificate");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                errors.Add(path + ".ca-certificate", $"cannot read '{ca}': {e.Message}");
            }
        }

        if (errors.Count > before || serverName is null || verify is null || timeout is null) return null;
        return new UpstreamTlsSettings(serverName, verify.Value, timeout.Value) { CaCertificatePath = string.IsNullOrEmpty(ca) ? null : ca };
    }

    private static X509Certificate2? Load(string certPath, string keyPath, string path, ConfigErrors errors, TimeProvider time)
    {
        if (!File.Exists(certPath))
        {
            errors.Add(path + ".certificate", $"file '{certPath}' not found (relative paths are relative to the current directory)");
            return null;
        }

        if (!File.Exists(keyPath))
        {
            errors.Add(path + ".private-key", $"file '{keyPath}' not found (relative paths are relative to the current directory)");
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (CryptographicException e)
        {
            var reason = CertificateOnly(certPath) is null
                ? $"'{certPath}' holds no PEM certificate ({e.Message})"
                : null;
            if (reason is not null) errors.Add(path + ".certificate", reason);
            else errors.Add(path + ".private-key", $"'{keyPath}' is not the PEM private key of '{certPath}' ({e.Message})");
            return null;
        }
        catch (ArgumentException e) when (e.ParamName == "privateKey")
        {
            errors.Add(path + ".private-key", $"'{keyPath}' is not the private key of '{certPath}' (its public key does not match)");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            errors.Add(path + ".certificate", $"cannot read '{certPath}' / '{keyPath}': {e.Message}");
            return null;
        }

        var now = time.GetUtcNow();
        if (now > certificate.NotAfter.ToUniversalTime())
        {
            errors.Add(path + ".certificate", $"'{certPath}' expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC (subject {certificate.Subject})");
            certificate.Dispose();
            return null;
        }

        if (now < certificate.NotBefore.ToUniversalTime())
        {
            errors.Add(path + ".certificate", $"'{certPath}' is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
            certificate.Dispose();
            return null;
        }

        return certificate;
    }

    /// <summary>"~/x" is x in the user's home (as the admin token file): a config that works from any directory.</summary>
    private static string? ExpandHome(string? path) =>
        path is not null && path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    private static X509Certificate2? CertificateOnly(string certPath)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
        }
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
        {
            return null;
        }
    }

    private static string? Required(Akka.Configuration.Config c, string path, string key, string what, ConfigErrors errors)
    {
        var value = errors.String(c, path, key);
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{path}.{key}", $"required: {what}");
            return null;
        }

        return value;
    }

    private static void Unknown(Akka.Configuration.Config c, string path, HashSet<string> known, ConfigErrors errors)
    {
        if (c.Root.IsObject())
            foreach (var key in c.Root.GetObject().Items.Keys)
                if (!known.Contains(key))
                    errors.Add($"{path}.{key}", ConfigErrors.Closest(key, known) is { } guess
                        ? $"unknown key; did you mean '{guess}'?"
                        : $"unknown key (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
    }

    private static T Bad<T>(ConfigErrors errors, string path, string reason)
    {
        errors.Add(path, reason);
        return default!;
    }
}
