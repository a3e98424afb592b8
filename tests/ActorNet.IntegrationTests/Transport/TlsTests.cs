using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ActorNet.Admin;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.IntegrationTests.Support;
using ActorNet.Runtime;
using ActorNet.Testing;
using ActorNet.Transport;
using ActorNet.Transport.Tls;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

/// <summary>Listeners with <c>tls { }</c> over real sockets: .NET's SslStream and <c>openssl s_client</c> as clients,
/// a certificate made by the test (no key is committed), and the failures that must close only their connection.</summary>
public sealed class TlsTests : NodeTestKit, IDisposable
{
    private readonly ITestOutputHelper _output;

    public TlsTests(ITestOutputHelper output) : base(output) => _output = output;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly TestCertificates _pki = new();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "actornet-tls-" + Guid.NewGuid().ToString("N")[..8]);

    void IDisposable.Dispose()
    {
        _pki.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    internal static TlsSettings Tls(X509Certificate2 certificate, TimeSpan? handshakeTimeout = null,
        ClientCertificateMode clients = ClientCertificateMode.None) =>
        new("server.crt", "server.key", SslProtocols.Tls12, clients, handshakeTimeout ?? TimeSpan.FromSeconds(10), certificate);

    private ListenerSettings TlsListener(string name, string handler, TimeSpan? handshakeTimeout = null) =>
        TestSettings.Listener(name, handler) with { Tls = Tls(_pki.Server(), handshakeTimeout) };

    /// <summary>A TLS client that trusts only the test CA (and checks the name).</summary>
    internal static async Task<SslStream> ConnectTlsAsync(IPEndPoint endpoint, X509Certificate2 ca, string host = "localhost",
        X509Certificate2? clientCertificate = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint.Address, endpoint.Port);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(ca);
        var options = new SslClientAuthenticationOptions { TargetHost = host, CertificateChainPolicy = policy };
        if (clientCertificate is not null) options.ClientCertificates = [clientCertificate];
        using var cts = new CancellationTokenSource(Timeout);
        await ssl.AuthenticateAsClientAsync(options, cts.Token);
        return ssl;
    }

    internal static async Task<string> ReadLineAsync(Stream stream)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var n = await stream.ReadAsync(one, cts.Token);
            if (n == 0) throw new EndOfStreamException("closed after: " + Encoding.UTF8.GetString(line.ToArray()));
            if (one[0] == '\n') return Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r');
            line.Add(one[0]);
        }
    }

    /// <summary>Reads until the peer closes; returns what arrived. Throws on timeout (the close never came).</summary>
    private static async Task<byte[]> ReadToEndAsync(Stream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var all = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer, cts.Token);
                if (n == 0) return all.ToArray();
                all.Write(buffer, 0, n);
            }
        }
        catch (IOException)
        {
            return all.ToArray(); // reset after the alert: closed as well
        }
    }

    private static ListenerMetrics Metrics(Akka.Actor.ActorSystem system, string listener) => NodeRuntime.Get(system).Metrics.For(listener);

    [Fact(Timeout = 60_000)]
    public async Task Echo_over_tls_round_trips_lines_and_a_megabyte_and_counts_wire_bytes()
    {
        var bound = await StartNodeAsync(TlsListener("tls", "echo") with { MaxFrameBytes = 2 * 1024 * 1024, WriteQueueLimitBytes = 8 * 1024 * 1024 });
        await using var ssl = await ConnectTlsAsync(bound["tls"], _pki.Ca);
        Assert.True(ssl.IsAuthenticated);
        Assert.Equal("localhost", ssl.RemoteCertificate!.Subject["CN=".Length..]);

        await ssl.WriteAsync(Encoding.ASCII.GetBytes("hello\n"));
        Assert.Equal("hello", await ReadLineAsync(ssl));

        // One frame larger than the layer's pipes and a TLS record: flow control end to end, nothing lost or reordered.
        var big = new byte[1024 * 1024];
        new Random(3).NextBytes(big);
        for (var i = 0; i < big.Length; i++) if (big[i] == '\n') big[i] = (byte)'x';
        var write = ssl.WriteAsync(big.Concat("\n"u8.ToArray()).ToArray()).AsTask();
        var echoed = new byte[big.Length + 1];
        using (var cts = new CancellationTokenSource(Timeout)) await ssl.ReadExactlyAsync(echoed, cts.Token);
        await write;
        Assert.Equal(SHA256.HashData(big), SHA256.HashData(echoed.AsSpan(0, big.Length)));

        var metrics = Metrics(Sys, "tls");
        Assert.True(metrics.BytesIn > big.Length, $"bytes in {metrics.BytesIn}: the wire carries records, not only the payload");
        Assert.True(metrics.BytesOut > big.Length, $"bytes out {metrics.BytesOut}");
    }

    [Fact(Timeout = 30_000)]
    public async Task Plain_text_on_a_tls_port_is_closed_with_TlsHandshakeFailed_and_others_are_not_affected()
    {
        var bound = await StartNodeAsync(TlsListener("tls", "echo"));
        await using var good = await ConnectTlsAsync(bound["tls"], _pki.Ca);

        using var plain = new TcpClient();
        await plain.ConnectAsync(bound["tls"]);
        await plain.GetStream().WriteAsync(Encoding.ASCII.GetBytes("NICK alice\r\nUSER a 0 * :A\r\n"));
        var answer = await ReadToEndAsync(plain.GetStream(), Timeout);
        Assert.DoesNotContain("NICK", Encoding.ASCII.GetString(answer)); // nothing echoed: it never reached a handler
        await AwaitAssertAsync(() => Assert.Equal(1, Metrics(Sys, "tls").Closed(DisconnectReason.TlsHandshakeFailed)), Timeout);

        await good.WriteAsync(Encoding.ASCII.GetBytes("still here\n"));
        Assert.Equal("still here", await ReadLineAsync(good));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_handshake_that_never_finishes_is_closed_after_the_handshake_timeout()
    {
        var bound = await StartNodeAsync(TlsListener("tls", "echo", handshakeTimeout: TimeSpan.FromMilliseconds(500)));
        using var stalled = new TcpClient();
        await stalled.ConnectAsync(bound["tls"]);
        // Half a ClientHello record header, then silence.
        await stalled.GetStream().WriteAsync(new byte[] { 0x16, 0x03, 0x01 });
        var clock = Stopwatch.StartNew();
        await ReadToEndAsync(stalled.GetStream(), Timeout);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"closed after {clock.Elapsed}: before the timeout");
        await AwaitAssertAsync(() => Assert.Equal(1, Metrics(Sys, "tls").Closed(DisconnectReason.TlsHandshakeFailed)), Timeout);
        Assert.Equal(0, Metrics(Sys, "tls").Open);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_tls_connection_can_be_killed_and_a_graceful_close_ends_with_close_notify()
    {
        var bound = await StartNodeAsync(TlsListener("tls", "echo"));
        await using var ssl = await ConnectTlsAsync(bound["tls"], _pki.Ca);
        await ssl.WriteAsync(Encoding.ASCII.GetBytes("ping\n"));
        Assert.Equal("ping", await ReadLineAsync(ssl));

        var runtime = NodeRuntime.Get(Sys);
        var id = Assert.Single(runtime.Connections.Snapshot()).Info.Id;
        var control = new NodeControl(Sys);
        var result = await control.KillConnectionAsync(id, KillMode.Close);
        Assert.True(result.Ok, result.ToString());
        // A clean TLS end: SslStream returns 0 (close_notify then FIN), not an IOException.
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[256];
        int n;
        while ((n = await ssl.ReadAsync(buffer, cts.Token)) > 0) { } // the error line, if any
        Assert.Equal(0, n);
        await AwaitAssertAsync(() => Assert.Equal(1, Metrics(Sys, "tls").Kills(KillMode.Close)), Timeout);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_websocket_listener_with_tls_serves_wss_to_ClientWebSocket()
    {
        var bound = await StartNodeAsync(WebSocketTests.Ws("wss", "echo") with { Tls = Tls(_pki.Server()) });
        using var ws = new System.Net.WebSockets.ClientWebSocket();
        var ca = _pki.Ca;
        ws.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            return certificate is not null && chain.Build(new X509Certificate2(certificate));
        };
        using (var cts = new CancellationTokenSource(Timeout))
            await ws.ConnectAsync(new Uri($"wss://localhost:{bound["wss"].Port}/"), cts.Token);
        await WebSocketTests.SendTextAsync(ws, "secure hello");
        Assert.Equal("secure hello", (await WebSocketTests.ReceiveAsync(ws)).Text);
        using (var cts = new CancellationTokenSource(Timeout))
            await ws.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Closed, ws.State);

        // ws:// (plain HTTP) on the wss port: a failed TLS handshake, not a websocket error.
        using var plain = new System.Net.WebSockets.ClientWebSocket();
        using (var cts = new CancellationTokenSource(Timeout))
            await Assert.ThrowsAnyAsync<Exception>(() => plain.ConnectAsync(new Uri($"ws://127.0.0.1:{bound["wss"].Port}/"), cts.Token));
        await AwaitAssertAsync(() => Assert.True(Metrics(Sys, "wss").Closed(DisconnectReason.TlsHandshakeFailed) >= 1), Timeout); // it retries
    }

    [Fact(Timeout = 60_000)]
    public async Task A_dev_certificate_is_made_at_first_start_and_clients_verify_it_with_the_ca_written_beside_it()
    {
        var cert = Path.Combine(_dir, "dev", "node.crt");
        var key = Path.Combine(_dir, "dev", "node.key");
        var hocon = $$"""
            actornet.listeners.tls {
              transport = tcp, bind = "127.0.0.1:0", handler = echo, framing = line
              tls { certificate = "{{cert}}", private-key = "{{key}}", dev-certificate = on }
            }
            """;
        await using (var node = await TestNode.StartAsync(hocon))
        {
            Assert.True(File.Exists(cert) && File.Exists(key));
            var caPath = DevCertificate.CaPath(cert);
            using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caPath));
            Assert.False(ca.HasPrivateKey);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            await using var ssl = await ConnectTlsAsync(node.Endpoint("tls"), ca);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes("dev\n"));
            Assert.Equal("dev", await ReadLineAsync(ssl));

            if (Openssl.Find() is { } openssl) // what irssi -tls_cafile does: verify against the written CA file
            {
                var (stdout, stderr) = await Openssl.SClientAsync(openssl, node.Endpoint("tls"), caPath, "via openssl\n", "via openssl", Timeout);
                Assert.Contains("via openssl", stdout);
                Assert.Contains("Verification: OK", stdout + stderr);
            }
        }

        // A second start keeps the pair it made (clients keep trusting the same CA).
        var before = await File.ReadAllTextAsync(cert);
        await using (await TestNode.StartAsync(hocon)) Assert.Equal(before, await File.ReadAllTextAsync(cert));
    }

    [Fact(Timeout = 60_000)]
    public async Task Openssl_s_client_echoes_over_tls()
    {
        var openssl = Openssl.Find();
        if (openssl is null)
        {
            _output.WriteLine("openssl not installed and apt-get unavailable: nothing to run (the SslStream tests cover the path)");
            return;
        }

        var bound = await StartNodeAsync(TlsListener("tls", "echo"));
        var ca = _pki.WriteCaPem(_dir);
        var (stdout, stderr) = await Openssl.SClientAsync(openssl, bound["tls"], ca, "hello from openssl\n", "hello from openssl", Timeout);
        Assert.Contains("hello from openssl", stdout);
        Assert.Contains("Verification: OK", stdout + stderr);
    }
}

/// <summary><c>openssl s_client</c> for tests: found on PATH, installed with apt-get when it is missing and allowed.</summary>
internal static class Openssl
{
    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var path = Path.Combine(dir, "openssl");
            if (File.Exists(path)) return path;
        }

        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get")) return null;
        try
        {
            using var apt = Process.Start(new ProcessStartInfo("/usr/bin/apt-get", "install -y -q openssl") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (apt is null || !apt.WaitForExit(120_000)) return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        return File.Exists("/usr/bin/openssl") ? "/usr/bin/openssl" : null;
    }

    /// <summary>Connects, verifies against <paramref name="caFile"/>, sends <paramref name="input"/>, waits until
    /// <paramref name="expect"/> came back (or the timeout), then ends the session.</summary>
    public static async Task<(string Stdout, string Stderr)> SClientAsync(string openssl, IPEndPoint endpoint, string caFile,
        string input, string expect, TimeSpan timeout, string extraArgs = "")
    {
        var info = new ProcessStartInfo(openssl,
            $"s_client -connect {endpoint.Address}:{endpoint.Port} -servername localhost -verify_hostname localhost -CAfile {caFile} -verify_return_error -brief -no_ign_eof {extraArgs}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = new StringBuilder();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            if (e.Data.Contains(expect, StringComparison.Ordinal)) seen.TrySetResult();
        };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        await process.StandardInput.FlushAsync();
        await Task.WhenAny(seen.Task, Task.Delay(timeout));
        process.StandardInput.Close(); // EOF: s_client ends the session
        if (!process.WaitForExit((int)timeout.TotalMilliseconds)) process.Kill(entireProcessTree: true);
        var err = await stderr;
        lock (stdout) return (stdout.ToString(), err);
    }
}
