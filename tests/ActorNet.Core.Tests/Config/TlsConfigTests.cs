using ActorNet.Testing;
using ActorNet.Transport.Tls;
using Xunit;
using static ActorNet.Core.Tests.Config.ConfigTestUtil;

namespace ActorNet.Core.Tests.Config;

public sealed class TlsConfigTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "actornet-tls-" + Guid.NewGuid().ToString("N"));
    private readonly TestCertificates _pki = new();

    public void Dispose()
    {
        _pki.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private (string Cert, string Key) Pem(System.Security.Cryptography.X509Certificates.X509Certificate2? cert = null, string name = "server") =>
        TestCertificates.WritePem(cert ?? _pki.Server(), _dir, name);

    private static string TlsListener(string tls, string transport = "tcp", string handler = "echo") =>
        Listener($"transport = {transport}, bind = \"127.0.0.1:0\", handler = {handler}, tls {{ {tls} }}");

    [Fact]
    public void A_tls_block_loads_the_pem_pair_with_defaults()
    {
        var (cert, key) = Pem();
        var settings = LoadOk(TlsListener($"certificate = \"{cert}\", private-key = \"{key}\""));
        var tls = settings.Listeners[0].Tls!;
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls12, tls.MinVersion);
        Assert.Equal(ClientCertificateMode.None, tls.ClientCertificates);
        Assert.Equal(TimeSpan.FromSeconds(10), tls.HandshakeTimeout);
        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.Null(LoadOk(Listener("transport = tcp, bind = \"127.0.0.1:0\", handler = echo")).Listeners[0].Tls);
    }

    [Fact]
    public void Options_are_parsed()
    {
        var (cert, key) = Pem();
        var tls = LoadOk(TlsListener($"certificate = \"{cert}\", private-key = \"{key}\", min-version = \"1.3\", client-certificates = optional, handshake-timeout = 3s"))
            .Listeners[0].Tls!;
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls13, tls.EnabledProtocols);
        Assert.Equal(ClientCertificateMode.Optional, tls.ClientCertificates);
        Assert.Equal(TimeSpan.FromSeconds(3), tls.HandshakeTimeout);
    }

    [Fact]
    public void A_missing_file_names_the_key_and_the_file() =>
        LoadError(TlsListener($"certificate = \"{_dir}/nope.crt\", private-key = \"{_dir}/nope.key\""),
            "actornet.listeners.l.tls.certificate", "nope.crt' not found");

    [Fact]
    public void A_key_of_another_certificate_is_refused()
    {
        var (cert, _) = Pem(name: "a");
        var (_, otherKey) = Pem(name: "b");
        LoadError(TlsListener($"certificate = \"{cert}\", private-key = \"{otherKey}\""), "actornet.listeners.l.tls.private-key", "is not the private key of");
    }

    [Fact]
    public void An_expired_certificate_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        var (cert, key) = Pem(_pki.Server(notBefore: now.AddDays(-10), notAfter: now.AddDays(-2)));
        LoadError(TlsListener($"certificate = \"{cert}\", private-key = \"{key}\""), "actornet.listeners.l.tls.certificate", "expired on");
    }

    [Fact]
    public void Required_keys_bad_values_and_typos_are_each_reported()
    {
        var result = Load(TlsListener("min-version = \"1.1\", client-certificates = maybe, handshake-timout = 2s"));
        Assert.False(result.Ok);
        var paths = result.Errors.Select(e => e.Path).ToHashSet();
        Assert.Contains("actornet.listeners.l.tls.certificate", paths);
        Assert.Contains("actornet.listeners.l.tls.private-key", paths);
        Assert.Contains("actornet.listeners.l.tls.min-version", paths);
        Assert.Contains("actornet.listeners.l.tls.client-certificates", paths);
        Assert.Contains(result.Errors, e => e.Path == "actornet.listeners.l.tls.handshake-timout" && e.Reason.Contains("handshake-timeout"));
    }

    [Fact]
    public void Tls_on_udp_is_refused()
    {
        var (cert, key) = Pem();
        LoadError(TlsListener($"certificate = \"{cert}\", private-key = \"{key}\"", transport: "udp"), "actornet.listeners.l.tls", "UDP");
    }

    [Fact]
    public void Upstream_tls_defaults_its_server_name_to_the_upstream_host()
    {
        var settings = LoadOk(Listener("transport = tcp, bind = \"127.0.0.1:0\", handler = forward, upstream = \"example.org:443\", upstream-tls { }"));
        Assert.Equal(new UpstreamTlsSettings("example.org", true, TimeSpan.FromSeconds(10)), settings.Listeners[0].UpstreamTls);
        LoadError(Listener("transport = tcp, bind = \"127.0.0.1:0\", handler = echo, upstream-tls { verify = false }"),
            "actornet.listeners.l.upstream-tls", "only for handler = forward");
    }
}
