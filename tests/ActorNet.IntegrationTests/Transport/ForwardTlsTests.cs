using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorNet.Config;
using ActorNet.IntegrationTests.Support;
using ActorNet.Runtime;
using ActorNet.Testing;
using ActorNet.Transport;
using ActorNet.Transport.Tls;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

/// <summary>The forward handler terminating TLS (<c>tls { }</c> on the listener) and originating it
/// (<c>upstream-tls { }</c>), with the flow control of plain forwarding: 256 MiB arrive whole.</summary>
public sealed class ForwardTlsTests : NodeTestKit, IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly ITestOutputHelper _output;
    private readonly TestCertificates _pki = new();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "actornet-fwdtls-" + Guid.NewGuid().ToString("N")[..8]);

    public ForwardTlsTests(ITestOutputHelper output) : base(output) => _output = output;

    void IDisposable.Dispose()
    {
        _pki.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private ListenerSettings Proxy(int upstreamPort, string serverName = "localhost") =>
        TestSettings.Listener("proxy", "forward", framing: FramingKind.Raw) with
        {
            MaxFrameBytes = 64 * 1024, // as the plain proxy tests (StreamFlowTests)
            Upstream = new HostPort("127.0.0.1", upstreamPort),
            Tls = TlsTests.Tls(_pki.Server()),
            UpstreamTls = new UpstreamTlsSettings(serverName, Verify: true, TimeSpan.FromSeconds(10)) { CaCertificatePath = _pki.WriteCaPem(_dir) },
        };

    [Fact(Timeout = 180_000)]
    public async Task A_256_MiB_upload_through_a_tls_terminating_and_originating_forward_arrives_whole()
    {
        await using var sink = TlsSink.Start(_pki.Server());
        var bound = await StartNodeAsync(Proxy(sink.Port));
        var clock = Stopwatch.StartNew();

        await using var client = await TlsTests.ConnectTlsAsync(bound["proxy"], _pki.Ca);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[256 * 1024];
        var random = new Random(42);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        const long total = 256 * MiB;
        for (long done = 0; done < total; done += chunk.Length)
        {
            random.NextBytes(chunk);
            hash.AppendData(chunk);
            await client.WriteAsync(chunk, cts.Token);
        }

        await client.ShutdownAsync(); // close_notify: the node passes the half-close on to the upstream
        var buffer = new byte[1024];
        Assert.Equal(0, await client.ReadAsync(buffer, cts.Token)); // the end, once the sink has it all and closed
        var (bytes, sha) = await sink.Result.WaitAsync(cts.Token);
        _output.WriteLine($"256 MiB through TLS in, TLS out: {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(total, bytes);
        Assert.Equal(hash.GetHashAndReset(), sha);
        var metrics = NodeRuntime.Get(Sys).Metrics.For("proxy");
        Assert.Equal(0, metrics.Closed(DisconnectReason.UpstreamClosed));
        Assert.Equal(0, metrics.Closed(DisconnectReason.SlowConsumer));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_upstream_whose_certificate_does_not_match_the_server_name_is_refused_and_the_client_closed()
    {
        await using var sink = TlsSink.Start(_pki.Server());
        var bound = await StartNodeAsync(Proxy(sink.Port, serverName: "other.example"));
        await using var client = await TlsTests.ConnectTlsAsync(bound["proxy"], _pki.Ca);
        await client.WriteAsync("hello"u8.ToArray());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[1024];
        try
        {
            while (await client.ReadAsync(buffer, cts.Token) > 0) { }
        }
        catch (IOException)
        {
            // closed either way
        }

        await AwaitAssertAsync(() => Assert.Equal(1, NodeRuntime.Get(Sys).Metrics.For("proxy").Closed(DisconnectReason.UpstreamClosed)), TimeSpan.FromSeconds(15));
    }
}

/// <summary>A TLS upstream for the forward tests: accepts one connection, reads to the end, hashes it, then closes
/// (close_notify and FIN).</summary>
internal sealed class TlsSink : IAsyncDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener;

    private TlsSink(System.Net.Sockets.TcpListener listener, X509Certificate2 certificate)
    {
        _listener = listener;
        Result = Task.Run(() => RunAsync(certificate));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task<(long Bytes, byte[] Sha256)> Result { get; }

    public static TlsSink Start(X509Certificate2 certificate)
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new TlsSink(listener, certificate);
    }

    private async Task<(long, byte[])> RunAsync(X509Certificate2 certificate)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(170));
        using var tcp = await _listener.AcceptTcpClientAsync(cts.Token);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cts.Token);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await ssl.ReadAsync(buffer, cts.Token)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        await ssl.ShutdownAsync();
        tcp.Client.Shutdown(SocketShutdown.Both);
        return (total, hash.GetHashAndReset());
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await Result.WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (Exception e) when (e is TimeoutException or SocketException or OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
        {
            // a test that failed early: the sink never got its connection
        }
    }
}
