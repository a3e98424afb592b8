using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ActorNet.Testing;
using ActorNet.Transport;
using ActorNet.Transport.Tls;
using Xunit;

namespace ActorNet.Core.Tests.Transport.Tls;

/// <summary>The TLS layer on its own: a server and a client <see cref="TlsLayer"/> wired back to back by a pump
/// that plays the socket (ciphertext out of one, into the other), or raw bytes fed to a server.</summary>
public sealed class TlsLayerTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly TestCertificates _pki = new();

    public void Dispose() => _pki.Dispose();

    private TlsSettings Settings(X509Certificate2? cert = null, ClientCertificateMode clients = ClientCertificateMode.None,
        TimeSpan? timeout = null, SslProtocols min = SslProtocols.Tls12) =>
        new("server.crt", "server.key", min, clients, timeout ?? TimeSpan.FromSeconds(10), cert ?? _pki.Server());

    private TlsClientOptions Client(string name = "localhost", bool verify = true, X509Certificate2? clientCert = null) =>
        new(name, verify, TimeSpan.FromSeconds(10), [_pki.Ca], clientCert);

    /// <summary>Moves ciphertext from one layer into the other until the source ends, then signals FIN.</summary>
    private static async Task Pump(TlsLayer from, TlsLayer to)
    {
        while (true)
        {
            var read = await from.ReadCiphertextAsync();
            if (read.End) break;
            if (!await to.ReceiveCiphertextAsync(read.Data)) break;
        }

        to.SocketClosed();
    }

    private static async Task<(TlsHandshakeResult Server, TlsHandshakeResult Client)> Connect(TlsLayer server, TlsLayer client)
    {
        _ = Pump(server, client);
        _ = Pump(client, server);
        var handshakes = await Task.WhenAll(server.HandshakeAsync(), client.HandshakeAsync()).WaitAsync(Bound);
        return (handshakes[0], handshakes[1]);
    }

    private static async Task<byte[]> ReadExactly(TlsLayer layer, int count)
    {
        var received = new MemoryStream();
        while (received.Length < count)
        {
            var read = await layer.ReadPlaintextAsync().WaitAsync(Bound);
            Assert.False(read.End, $"ended after {received.Length} of {count} bytes: {read.Error}");
            received.Write(read.Data.Span);
        }

        return received.ToArray();
    }

    [Fact]
    public async Task Handshake_then_data_flows_both_ways()
    {
        await using var server = TlsLayer.Server(Settings());
        await using var client = TlsLayer.Client(Client());
        var (s, c) = await Connect(server, client);
        Assert.True(s.Ok, s.Detail);
        Assert.True(c.Ok, c.Detail);
        Assert.Equal(SslProtocols.Tls13, s.Session!.Protocol);
        Assert.Equal("localhost", s.Session.ServerName);
        Assert.Null(s.Session.ClientCertificateFingerprint);

        Assert.True(await client.WritePlaintextAsync(Encoding.ASCII.GetBytes("NICK alice\r\n")).WaitAsync(Bound));
        Assert.Equal("NICK alice\r\n", Encoding.ASCII.GetString(await ReadExactly(server, 12)));

        // More than the pipes hold: the writer waits for the pump, nothing is lost or reordered.
        var big = new byte[300_000];
        new Random(7).NextBytes(big);
        var write = server.WritePlaintextAsync(big);
        Assert.Equal(big, await ReadExactly(client, big.Length));
        Assert.True(await write.WaitAsync(Bound));

        await client.ShutdownAsync().WaitAsync(Bound);
        var end = await server.ReadPlaintextAsync().WaitAsync(Bound);
        Assert.True(end.End);
        Assert.Null(end.Error);
    }

    [Fact]
    public async Task Plain_text_on_a_TLS_port_fails_the_handshake_as_not_TLS()
    {
        await using var server = TlsLayer.Server(Settings());
        var handshake = server.HandshakeAsync();
        await server.ReceiveCiphertextAsync(Encoding.ASCII.GetBytes("NICK alice\r\nUSER a 0 * :A\r\n"));
        var result = await handshake.WaitAsync(Bound);
        Assert.False(result.Ok);
        Assert.Equal(TlsFailure.NotTls, result.Failure);
        Assert.Equal(DisconnectReason.TlsHandshakeFailed, result.CloseReason);
        Assert.Contains("0x4e", result.Detail);
    }

    [Fact]
    public async Task A_handshake_that_never_starts_times_out()
    {
        await using var server = TlsLayer.Server(Settings(timeout: TimeSpan.FromMilliseconds(200)));
        var result = await server.HandshakeAsync().WaitAsync(Bound);
        Assert.Equal(TlsFailure.Timeout, result.Failure);
        Assert.Contains("200 ms", result.Detail);
    }

    [Fact]
    public async Task A_peer_that_closes_before_a_byte_is_PeerClosed()
    {
        await using var server = TlsLayer.Server(Settings());
        var handshake = server.HandshakeAsync();
        server.SocketClosed();
        Assert.Equal(TlsFailure.PeerClosed, (await handshake.WaitAsync(Bound)).Failure);
    }

    [Fact]
    public async Task The_client_certificate_fingerprint_is_the_SHA256_of_its_DER()
    {
        using var mine = TestCertificates.Client("alice");
        await using var server = TlsLayer.Server(Settings(clients: ClientCertificateMode.Optional));
        await using var client = TlsLayer.Client(Client(clientCert: mine));
        var (s, c) = await Connect(server, client);
        Assert.True(s.Ok, s.Detail);
        Assert.True(c.Ok, c.Detail);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(mine.RawData));
        Assert.Equal(expected, s.Session!.ClientCertificateFingerprint);
        Assert.Equal(64, expected.Length);
    }

    [Fact]
    public async Task Required_client_certificate_missing_fails_with_its_reason()
    {
        await using var server = TlsLayer.Server(Settings(clients: ClientCertificateMode.Required));
        await using var client = TlsLayer.Client(Client());
        var (s, _) = await Connect(server, client);
        Assert.Equal(TlsFailure.ClientCertificateMissing, s.Failure);
    }

    [Fact]
    public async Task An_expired_client_certificate_is_rejected()
    {
        using var old = TestCertificates.Client("old", notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        await using var server = TlsLayer.Server(Settings(clients: ClientCertificateMode.Optional));
        await using var client = TlsLayer.Client(Client(clientCert: old));
        var (s, _) = await Connect(server, client);
        Assert.Equal(TlsFailure.ClientCertificateRejected, s.Failure);
    }

    [Fact]
    public async Task A_client_asking_for_another_name_SNI_refuses_the_certificate_and_the_server_sees_a_failure()
    {
        await using var server = TlsLayer.Server(Settings());
        await using var client = TlsLayer.Client(Client(name: "wrong.example"));
        var (s, c) = await Connect(server, client);
        Assert.Equal(TlsFailure.ServerCertificateRejected, c.Failure);
        Assert.Contains("RemoteCertificateNameMismatch", c.Detail);
        await ServerSessionEnds(s, server, client);
    }

    /// <summary>With TLS 1.3 the server may finish its side before the client checks the certificate; then the
    /// client's alert or close ends the server's session at its first read. Either way the server learns of it.</summary>
    private static async Task ServerSessionEnds(TlsHandshakeResult s, TlsLayer server, TlsLayer client)
    {
        await client.DisposeAsync();
        if (!s.Ok)
        {
            Assert.Equal(DisconnectReason.TlsHandshakeFailed, s.CloseReason);
            return;
        }

        Assert.True((await server.ReadPlaintextAsync().WaitAsync(Bound)).End);
    }

    [Fact]
    public async Task An_expired_server_certificate_is_refused_by_a_verifying_client()
    {
        var now = DateTimeOffset.UtcNow;
        await using var server = TlsLayer.Server(Settings(cert: _pki.Server(notBefore: now.AddDays(-10), notAfter: now.AddDays(-1))));
        await using var client = TlsLayer.Client(Client());
        var (s, c) = await Connect(server, client);
        Assert.Equal(TlsFailure.ServerCertificateRejected, c.Failure);
        Assert.Contains("RemoteCertificateChainErrors", c.Detail);
        await ServerSessionEnds(s, server, client);
    }

    [Fact]
    public async Task Min_version_13_refuses_a_TLS12_only_client()
    {
        await using var server = TlsLayer.Server(Settings(min: SslProtocols.Tls13));
        await using var client = TlsLayer.Client(Client() with { Protocols = SslProtocols.Tls12 });
        var (s, c) = await Connect(server, client);
        Assert.Equal(TlsFailure.Protocol, s.Failure);
        Assert.False(c.Ok);
    }

    [Fact]
    public async Task Ciphertext_nobody_decrypts_holds_back_the_socket_side()
    {
        const int pause = 32 * 1024;
        await using var server = TlsLayer.Server(Settings(), new TlsBuffers(pause));
        await using var client = TlsLayer.Client(Client(), new TlsBuffers(pause));
        _ = Pump(server, client);
        var toServer = new StallingPump();
        _ = toServer.Run(client, server);
        var handshakes = await Task.WhenAll(server.HandshakeAsync(), client.HandshakeAsync()).WaitAsync(Bound);
        Assert.True(handshakes[0].Ok, handshakes[0].Detail);

        // 1 MiB from the client while nobody reads the server's plaintext: the server's pipe fills, the pump stalls
        // (the connection would stop reading the socket), the client's own pipe fills, and its write waits.
        var write = client.WritePlaintextAsync(new byte[1024 * 1024]);
        var deliveredWhenStalled = await toServer.Stalled.Task.WaitAsync(Bound);
        Assert.InRange(deliveredWhenStalled, pause, pause + 64 * 1024 + 4096);
        Assert.False(write.IsCompleted);

        Assert.Equal(1024 * 1024, (await ReadExactly(server, 1024 * 1024)).Length);
        Assert.True(await write.WaitAsync(Bound));
    }

    /// <summary>A pump that reports the first time the receiving layer had no room (its write did not complete at once).</summary>
    private sealed class StallingPump
    {
        public TaskCompletionSource<long> Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task Run(TlsLayer from, TlsLayer to)
        {
            long delivered = 0;
            while (true)
            {
                var read = await from.ReadCiphertextAsync();
                if (read.End) break;
                var accepted = to.ReceiveCiphertextAsync(read.Data);
                delivered += read.Data.Length;
                if (!accepted.IsCompleted) Stalled.TrySetResult(delivered);
                if (!await accepted) break;
            }

            to.SocketClosed();
        }
    }
}
