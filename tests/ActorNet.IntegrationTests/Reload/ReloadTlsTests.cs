using System.Security.Cryptography.X509Certificates;
using System.Text;
using ActorNet.Admin;
using ActorNet.Config;
using ActorNet.IntegrationTests.Chat;
using ActorNet.IntegrationTests.Support;
using ActorNet.IntegrationTests.Transport;
using ActorNet.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Reload;

/// <summary>Reload leftovers of issue 16: IRC REHASH through the node's reloader, and a renewed certificate used by
/// the next TLS handshake while an open TLS client keeps talking.</summary>
public sealed class ReloadTlsTests : NodeTestKit, IDisposable
{
    private const string OperHash = "pbkdf2-sha256$10000$YWN0b3JuZXQtdGVzdC0wMQ==$ddqRXnMzEgzCim+F6qmCbkNyyu5Eku8YKLQTlVarl1w="; // rootpw
    private const string Chat = "chat { transport = tcp, bind = \"127.0.0.1:0\", handler = irc, framing = line, line-ending = crlf }";
    private readonly TestCertificates _pki = new();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "actornet-reloadtls-" + Guid.NewGuid().ToString("N")[..8]);
    private string _file = "";

    public ReloadTlsTests(ITestOutputHelper output) : base(output)
    {
    }

    void IDisposable.Dispose()
    {
        _pki.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static string ChatConf(string motd, string extra = "") => $$"""
        actornet.node.name = reload-tls
        actornet.listeners { {{Chat}} {{extra}} }
        actornet.chat.motd = "{{motd}}"
        actornet.chat.opers.root = "{{OperHash}}"
        actornet.chat.flood.burst = 1000
        actornet.chat.flood.per-second = 1000
        """;

    private ReloadInput Read()
    {
        var (config, errors) = ConfigSource.Parse(_file);
        if (config is null) return new ReloadInput(null, errors.Select(e => e.ToString()).ToList());
        var loaded = NodeSettingsLoader.Load(config);
        return new ReloadInput(loaded.Settings, loaded.Errors.Select(e => e.ToString()).ToList());
    }

    private async Task<IReadOnlyDictionary<string, System.Net.IPEndPoint>> Start()
    {
        var input = Read();
        var settings = input.Settings ?? throw new InvalidOperationException(string.Join("\n", input.Errors));
        Guardian = ActorNetNode.Start(Sys, settings, ActorNet.Node.Hosting.NodeHandlers.Catalog, Read);
        var bound = await ActorNetNode.WaitForBindingsAsync(Guardian, settings, TimeSpan.FromSeconds(10));
        return bound.ToDictionary(b => b.Key, b => (System.Net.IPEndPoint)b.Value);
    }

    [Fact(Timeout = 60_000)]
    public async Task Rehash_is_for_operators_and_reloads_through_the_same_reloader_with_its_errors_as_notices()
    {
        _file = ChatConf("first motd");
        var bound = await Start();
        await using var alice = await IrcClient.RegisteredAsync(bound["chat"], "alice");
        await alice.SendAsync("REHASH");
        await alice.ExpectAsync(l => l.Contains(" 481 alice "));

        await alice.SendAsync("OPER root rootpw");
        await alice.ExpectAsync(l => l.Contains(" 381 "));
        _file = ChatConf("second motd");
        await alice.SendAsync("REHASH");
        await alice.ExpectAsync(l => l.Contains(" 382 alice node.conf "));
        await alice.ExpectAsync(l => l.Contains("NOTICE alice :*** REHASH: reloaded:"));
        await using var bob = await IrcClient.RegisteredAsync(bound["chat"], "bob");
        Assert.Contains(bob.Seen, l => l.Contains("second motd"));

        _file = ChatConf("third motd", "broken { transport = tcp, bind = \"127.0.0.1:0\", handler = nope }");
        await alice.SendAsync("REHASH");
        await alice.ExpectAsync(l => l.Contains("NOTICE alice :*** REHASH: configuration invalid, nothing changed:"));
        await alice.ExpectAsync(l => l.Contains("NOTICE alice :*** REHASH: ") && l.Contains("actornet.listeners.broken.handler"));
        await using var carol = await IrcClient.RegisteredAsync(bound["chat"], "carol");
        Assert.Contains(carol.Seen, l => l.Contains("second motd")); // the old configuration stays
    }

    [Fact(Timeout = 60_000)]
    public async Task A_renewed_certificate_is_used_by_the_next_handshake_while_an_open_tls_client_keeps_talking()
    {
        using var first = _pki.Server();
        var (cert, key) = TestCertificates.WritePem(first, _dir);
        _file = $$"""
            actornet.node.name = reload-tls
            actornet.listeners.tls { transport = tcp, bind = "127.0.0.1:0", handler = echo, framing = line, tls { certificate = "{{cert}}", private-key = "{{key}}" } }
            """;
        var bound = await Start();
        await using var old = await TlsTests.ConnectTlsAsync(bound["tls"], _pki.Ca);
        Assert.Equal(first.Thumbprint, new X509Certificate2(old.RemoteCertificate!).Thumbprint);

        using var renewed = _pki.Server();
        TestCertificates.WritePem(renewed, _dir); // same paths, new files: what a certificate renewal does
        var dry = await new NodeControl(Sys).ReloadAsync(dryRun: true, "test");
        Assert.True(dry.Ok, dry.Message);
        Assert.Contains("tls", dry.Message);
        var reloaded = await new NodeControl(Sys).ReloadAsync(dryRun: false, "test");
        Assert.True(reloaded.Ok, reloaded.Message);

        await using var fresh = await TlsTests.ConnectTlsAsync(bound["tls"], _pki.Ca);
        Assert.Equal(renewed.Thumbprint, new X509Certificate2(fresh.RemoteCertificate!).Thumbprint);
        await fresh.WriteAsync(Encoding.ASCII.GetBytes("new\n"));
        Assert.Equal("new", await TlsTests.ReadLineAsync(fresh));
        await old.WriteAsync(Encoding.ASCII.GetBytes("old still here\n")); // the open session noticed nothing
        Assert.Equal("old still here", await TlsTests.ReadLineAsync(old));
    }
}
