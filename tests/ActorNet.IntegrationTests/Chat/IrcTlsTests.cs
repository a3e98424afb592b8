using System.Net;
using System.Security.Cryptography.X509Certificates;
using ActorNet.Config;
using ActorNet.IntegrationTests.Support;
using ActorNet.IntegrationTests.Transport;
using ActorNet.Testing;
using ActorNet.Transport.Tls;
using Akka.Configuration;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Chat;

/// <summary>IRC over TLS: a TLS listener and a plain one into the same chat; WHOIS 671 and 276 (CertFP), the IRCv3
/// sts capability.</summary>
public sealed class IrcTlsTests : ChatNodeTestKit, IDisposable
{
    private readonly TestCertificates _pki = new();

    public IrcTlsTests(ITestOutputHelper output) : base(output)
    {
    }

    void IDisposable.Dispose() => _pki.Dispose();

    private async Task<(IPEndPoint Plain, IPEndPoint Tls)> StartAsync(string extraOptions = "")
    {
        var options = ConfigurationFactory.ParseString(DefaultOptions + "\n" + extraOptions);
        ListenerSettings Irc(string name) => TestSettings.Listener(name, "irc") with
        {
            LineEnding = LineEnding.CrLf,
            MaxFrameBytes = 8704,
            Options = options,
        };

        var bound = await StartNodeAsync(Irc("chat"),
            Irc("chat-tls") with { Tls = TlsTests.Tls(_pki.Server(), clients: ClientCertificateMode.Optional) });
        return (bound["chat"], bound["chat-tls"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_tls_client_and_a_plain_client_share_a_channel_and_whois_shows_671_and_the_certfp_to_its_owner()
    {
        var (plain, tls) = await StartAsync();
        using var clientCert = TestCertificates.Client("alice-cert");
        await using var alice = await (await IrcClient.ConnectTlsAsync(tls, "alice", _pki.Ca, clientCert)).RegisterAsync();
        await using var bob = await IrcClient.RegisteredAsync(plain, "bob");

        await alice.SendAsync("JOIN #both");
        await alice.ExpectAsync(l => l.Contains(" 366 "));
        await bob.SendAsync("JOIN #both");
        await bob.ExpectAsync(l => l.Contains(" 366 "));
        await alice.ExpectAsync(l => l.Contains("JOIN") && l.StartsWith(":bob!", StringComparison.Ordinal));
        await alice.SendAsync("PRIVMSG #both :over tls");
        await bob.ExpectAsync(l => l.EndsWith("PRIVMSG #both :over tls", StringComparison.Ordinal));
        await bob.SendAsync("PRIVMSG #both :over plain");
        await alice.ExpectAsync(l => l.EndsWith("PRIVMSG #both :over plain", StringComparison.Ordinal));

        var fingerprint = TlsLayer.Fingerprint(clientCert);
        await bob.SendAsync("WHOIS alice");
        var seenByBob = await WhoisAsync(bob);
        Assert.Contains(seenByBob, l => l.Contains(" 671 bob alice :is using a secure connection"));
        Assert.DoesNotContain(seenByBob, l => l.Contains(" 276 ")); // an identity: not shown to everyone

        await alice.SendAsync("WHOIS alice");
        var seenByAlice = await WhoisAsync(alice);
        Assert.Contains(seenByAlice, l => l.Contains($" 276 alice alice :has client certificate fingerprint {fingerprint}"));

        await alice.SendAsync("WHOIS bob");
        Assert.DoesNotContain(await WhoisAsync(alice), l => l.Contains(" 671 "));

        await bob.SendAsync("OPER root rootpw");
        await bob.ExpectAsync(l => l.Contains(" 381 "));
        await bob.SendAsync("WHOIS alice");
        Assert.Contains(await WhoisAsync(bob), l => l.Contains(" 276 ") && l.EndsWith(fingerprint, StringComparison.Ordinal));
    }

    /// <summary>A client outside .NET (Python's <c>ssl</c>, verifying the test CA and the host name as irssi does)
    /// registers over TLS and talks with a plain client in one channel.</summary>
    [Fact(Timeout = 120_000)]
    public async Task A_python_ssl_client_registers_and_talks_with_a_plain_client()
    {
        var (plain, tls) = await StartAsync();
        var dir = Path.Combine(Path.GetTempPath(), "actornet-pyssl-" + Guid.NewGuid().ToString("N"));
        try
        {
            var ca = _pki.WriteCaPem(dir);
            await using var bob = await IrcClient.RegisteredAsync(plain, "bob");
            await bob.SendAsync("JOIN #py");
            await bob.ExpectAsync(l => l.Contains(" 366 "));

            var python = Python3.RunAsync(PythonIrcClient, dir, [tls.Address.ToString(), tls.Port.ToString(), ca], TimeSpan.FromSeconds(90));
            await bob.ExpectAsync(l => l.StartsWith(":pyssl!", StringComparison.Ordinal) && l.EndsWith("PRIVMSG #py :from python ssl", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60));
            await bob.SendAsync("WHOIS pyssl");
            Assert.Contains(await WhoisAsync(bob), l => l.Contains(" 671 bob pyssl :is using a secure connection"));
            await bob.SendAsync("PRIVMSG #py :from plain");

            var (exit, stdout, stderr) = await python;
            Assert.True(exit == 0, $"python exited {exit}\n{stdout}\n{stderr}");
            Assert.Contains("TLSv1.", stdout);
            Assert.Contains(":bob!", stdout);
            Assert.Contains("PRIVMSG #py :from plain", stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Registers as pyssl, joins #py, says one line, prints the first channel line from someone else, quits.</summary>
    private const string PythonIrcClient = """
        import socket, ssl, sys
        host, port, ca = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        ctx = ssl.create_default_context(cafile=ca)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        raw = socket.create_connection((host, port), timeout=60)
        s = ctx.wrap_socket(raw, server_hostname="localhost")
        print("VERSION", s.version(), flush=True)
        buf = b""
        def send(line):
            s.sendall((line + "\r\n").encode())
        def lines():
            global buf
            while True:
                while b"\r\n" in buf:
                    line, buf = buf.split(b"\r\n", 1)
                    text = line.decode("utf-8", "replace")
                    if text.startswith("PING "):
                        send("PONG " + text[5:])
                        continue
                    yield text
                chunk = s.recv(4096)
                if not chunk:
                    sys.exit("closed by the server")
                buf += chunk
        it = lines()
        send("NICK pyssl")
        send("USER pyssl 0 * :Python ssl")
        for line in it:
            if " 001 " in line:
                break
        send("JOIN #py")
        for line in it:
            if " 366 " in line:
                break
        send("PRIVMSG #py :from python ssl")
        for line in it:
            if " PRIVMSG #py :" in line and not line.startswith(":pyssl!"):
                print(line, flush=True)
                break
        send("QUIT :bye")
        s.close()
        """;

    [Fact(Timeout = 60_000)]
    public async Task Sts_points_plain_clients_to_the_tls_port_and_tells_tls_clients_the_duration()
    {
        var (plain, tls) = await StartAsync("sts { port = 6697, duration = 1d }");
        await using var onPlain = await IrcClient.ConnectAsync(plain, "p");
        await onPlain.SendAsync("CAP LS 302");
        var ls = await onPlain.ExpectAsync(l => l.Contains(" CAP ") && l.Contains(" LS "));
        Assert.Contains("sts=port=6697", ls);
        await onPlain.SendAsync("CAP REQ :sts");
        await onPlain.ExpectAsync(l => l.Contains(" CAP ") && l.Contains(" NAK ")); // a policy, not something to request

        await using var old = await IrcClient.ConnectAsync(plain, "o");
        await old.SendAsync("CAP LS");
        Assert.DoesNotContain("sts", await old.ExpectAsync(l => l.Contains(" CAP ") && l.Contains(" LS "))); // no values before 302

        await using var onTls = await IrcClient.ConnectTlsAsync(tls, "t", _pki.Ca);
        await onTls.SendAsync("CAP LS 302");
        Assert.Contains("sts=duration=86400", await onTls.ExpectAsync(l => l.Contains(" CAP ") && l.Contains(" LS ")));
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_sts_configured_no_listener_advertises_it()
    {
        var (plain, _) = await StartAsync();
        await using var c = await IrcClient.ConnectAsync(plain, "p");
        await c.SendAsync("CAP LS 302");
        Assert.DoesNotContain("sts", await c.ExpectAsync(l => l.Contains(" CAP ") && l.Contains(" LS ")));
    }

    private static async Task<List<string>> WhoisAsync(IrcClient c)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await c.ReadAsync();
            lines.Add(line);
            if (line.Contains(" 318 ")) return lines;
        }
    }
}
