using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorNet.Transport.Tls;

/// <summary>How much ciphertext each direction of a <see cref="TlsLayer"/> may hold before its writer waits.</summary>
/// <param name="PauseBytes">socket → layer: the pipe's pause threshold (a write that takes it past this completes only
/// once SslStream has read it down to half; the connection then resumes socket reads); layer → socket: the most an
/// SslStream-driven write (handshake, close_notify) leaves untaken before it waits (the owner's inline encrypting has
/// its own bound, <see cref="TlsLayer.MaxEncryptBytes"/>)</param>
public sealed record TlsBuffers(long PauseBytes)
{
    /// <summary>Four full TLS records per direction: enough to keep a socket busy, small per connection.</summary>
    public static TlsBuffers Default { get; } = new(64 * 1024);

    internal PipeOptions ToPipeOptions() => new(
        pauseWriterThreshold: PauseBytes,
        resumeWriterThreshold: PauseBytes / 2,
        minimumSegmentSize: 4096,
        // Never resume SslStream inline on the caller's thread: the caller is an actor's message handler.
        readerScheduler: PipeScheduler.ThreadPool,
        writerScheduler: PipeScheduler.ThreadPool,
        useSynchronizationContext: false);
}

/// <summary>Outbound TLS (and the test client): the name to send and check, and how to check it.</summary>
/// <param name="TrustedRoots">extra roots to trust instead of the system store (a test CA); null = system trust</param>
/// <param name="ClientCertificate">a certificate to present (IRC CertFP); null = none</param>
public sealed record TlsClientOptions(
    string ServerName,
    bool Verify,
    TimeSpan HandshakeTimeout,
    X509Certificate2Collection? TrustedRoots = null,
    X509Certificate2? ClientCertificate = null,
    SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13);

/// <summary>
/// TLS as a layer between the socket and the framing, with no actor inside and no socket of its own: .NET's
/// <see cref="SslStream"/> reads ciphertext from an in-memory pipe and writes it into a <see cref="CiphertextOutbox"/>.
/// The connection puts the ciphertext Akka.IO delivers in with <see cref="ReceiveCiphertextAsync"/>; the framing gets
/// plaintext from <see cref="ReadPlaintextAsync"/>. On the way out the connection (<see cref="TlsChannel"/>) encrypts
/// inline (<see cref="EncryptInline"/>) and takes the ciphertext whole (<see cref="TakeCiphertext"/>) for one socket
/// write; a caller without a socket actor (the tests) uses <see cref="WritePlaintextAsync"/> and
/// <see cref="ReadCiphertextAsync"/> instead. Every async method is one step whose completion the connection receives
/// as a message (PipeTo), so the actor never blocks. Both directions are bounded (<see cref="TlsBuffers"/>,
/// <see cref="MaxEncryptBytes"/>): a consumer that stops reading plaintext stops the layer reading ciphertext, which
/// stops the connection reading the socket.
/// <para>Call discipline (what SslStream and PipeWriter allow): at most one of each kind of call outstanding at a
/// time (one ciphertext write, one ciphertext read, one plaintext read, one plaintext write), and no plaintext call
/// before <see cref="HandshakeAsync"/> completed. Ciphertext must be read from the start: the handshake writes.</para>
/// </summary>
public sealed class TlsLayer : IAsyncDisposable
{
    /// <summary>The largest TLS record's plaintext.</summary>
    public const int MaxRecordPlaintext = 16 * 1024;

    /// <summary>Most plaintext one read returns: SslStream decrypts every complete record it already holds into a
    /// larger buffer at once, so a bulk transfer is handed up in fewer, bigger reads (fewer messages per byte).</summary>
    public const int MaxReadBytes = 4 * MaxRecordPlaintext;

    /// <summary>Most plaintext the owner encrypts in one inline step, and the ciphertext it lets wait untaken before it
    /// encrypts more: seven or eight full records per socket write (a fan-out flush under load is about one step), and
    /// the ciphertext with its record overhead still fits one 128 KiB pooled array.</summary>
    public const int MaxEncryptBytes = 120 * 1024;

    private readonly Pipe _fromSocket;
    private readonly CiphertextOutbox _toSocket;
    private readonly PipeDuplexStream _transport;
    private readonly SslStream _ssl;
    private readonly TimeProvider _time;
    private readonly byte[] _plaintext = new byte[MaxReadBytes];
    private readonly TlsSettings? _server;
    private readonly TlsClientOptions? _client;
    private TlsFailure? _validationFailure;
    private string? _validationDetail;
    private string? _clientFingerprint;

    private TlsLayer(TlsSettings? server, TlsClientOptions? client, TlsBuffers? buffers, TimeProvider? time)
    {
        buffers ??= TlsBuffers.Default;
        _fromSocket = new Pipe(buffers.ToPipeOptions());
        _toSocket = new CiphertextOutbox(buffers.PauseBytes);
        _transport = new PipeDuplexStream(_fromSocket.Reader, _toSocket);
        _ssl = new SslStream(_transport, leaveInnerStreamOpen: false);
        _time = time ?? TimeProvider.System;
        _server = server;
        _client = client;
    }

    /// <summary>The server side of an accepted connection on a listener with <c>tls { }</c>.</summary>
    public static TlsLayer Server(TlsSettings settings, TlsBuffers? buffers = null, TimeProvider? time = null) =>
        new(settings, null, buffers, time);

    /// <summary>The client side of an outbound connection (a forward upstream with <c>upstream-tls { }</c>).</summary>
    public static TlsLayer Client(TlsClientOptions options, TlsBuffers? buffers = null, TimeProvider? time = null) =>
        new(null, options, buffers, time);

    /// <summary>Runs the handshake, bounded by handshake-timeout. Never throws: a failure is a typed result.</summary>
    public async Task<TlsHandshakeResult> HandshakeAsync()
    {
        var timeout = _server?.HandshakeTimeout ?? _client!.HandshakeTimeout;
        using var deadline = new CancellationTokenSource(timeout, _time);
        try
        {
            if (_server is { } server)
                await _ssl.AuthenticateAsServerAsync(ServerOptions(server), deadline.Token).ConfigureAwait(false);
            else
                await _ssl.AuthenticateAsClientAsync(ClientOptions(_client!), deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            return Classify(e, deadline.IsCancellationRequested, timeout);
        }

        return TlsHandshakeResult.Succeeded(new TlsSession(_ssl.SslProtocol, _ssl.NegotiatedCipherSuite.ToString(),
            _server is not null ? NullIfEmpty(_ssl.TargetHostName) : _client!.ServerName, _clientFingerprint));
    }

    /// <summary>Ciphertext from the socket. Completes once the layer has room for more (backpressure: resume socket
    /// reads then). False: the layer no longer reads (closed or failed); drop the bytes.</summary>
    public async Task<bool> ReceiveCiphertextAsync(ReadOnlyMemory<byte> bytes)
    {
        var flushed = await _fromSocket.Writer.WriteAsync(bytes).ConfigureAwait(false);
        return !flushed.IsCompleted;
    }

    /// <summary>Ciphertext from the socket, copied into the layer's pipe on the caller's thread. Null: the pipe is
    /// past its pause threshold, and <paramref name="pending"/> completes once it has room again (as
    /// <see cref="ReceiveCiphertextAsync"/>); else taken at once, and the value says whether the layer still reads.</summary>
    internal bool? TryReceiveCiphertext(ReadOnlySpan<byte> bytes, out Task<bool>? pending)
    {
        pending = null;
        ValueTask<FlushResult> flush;
        try
        {
            _fromSocket.Writer.Write(bytes);
            flush = _fromSocket.Writer.FlushAsync();
        }
        catch (InvalidOperationException)
        {
            return false; // the layer's reading side is completed (closed)
        }

        if (!flush.IsCompleted)
        {
            pending = OpenAfter(flush);
            return null;
        }

        return flush.IsCompletedSuccessfully && !flush.Result.IsCompleted; // completed: reading it does not wait
    }

    private static async Task<bool> OpenAfter(ValueTask<FlushResult> flush) => !(await flush.ConfigureAwait(false)).IsCompleted;

    /// <summary>The peer closed its side (TCP FIN): plaintext reads end once what was received is decrypted.
    /// Only between <see cref="ReceiveCiphertextAsync"/> calls.</summary>
    public void SocketClosed() => _fromSocket.Writer.Complete();

    /// <summary>The next ciphertext for the socket (handshake, records, alerts, close_notify), at most
    /// <paramref name="maxBytes"/>; <see cref="TlsRead.End"/> once the layer is closed and everything was read.</summary>
    /// <remarks>The async way, for a caller without a socket actor (tests); <see cref="TlsChannel"/> takes the
    /// ciphertext whole instead (<see cref="TakeCiphertext"/>). Not both on one layer.</remarks>
    public async Task<TlsRead> ReadCiphertextAsync(int maxBytes = 64 * 1024)
    {
        while (true)
        {
            var copy = _toSocket.TakeCopy(maxBytes, out var ended);
            if (copy.Length > 0) return new TlsRead(copy, false);
            if (ended) return TlsRead.Ended;
            await _toSocket.WhenReadyAsync().ConfigureAwait(false);
        }
    }

    /// <summary>All ciphertext written so far, as one pooled array the caller owns until it gives it back with
    /// <see cref="ReturnCiphertext"/> (once the socket write carrying it was acked); null when there is none, and then
    /// <paramref name="ended"/> says whether the layer is closed and will write no more.</summary>
    internal byte[]? TakeCiphertext(out int length, out bool ended) => _toSocket.TakeAll(out length, out ended);

    internal static void ReturnCiphertext(byte[] taken) => CiphertextOutbox.Return(taken);

    /// <summary>Ciphertext the owner has not taken yet.</summary>
    internal int PendingCiphertextBytes => _toSocket.PendingBytes;

    /// <summary>Completes once SslStream wrote ciphertext on its own (handshake, close_notify, an answer of the read
    /// side) or the layer closed: then <see cref="TakeCiphertext"/>. Not woken by <see cref="EncryptInline"/>.</summary>
    internal Task WhenCiphertextReadyAsync() => _toSocket.WhenReadyAsync();

    /// <summary>Encrypts at most <see cref="MaxEncryptBytes"/> of plaintext on the caller's thread, into ciphertext the
    /// caller takes right after (<see cref="TakeCiphertext"/>): AES-GCM over the bytes and one record per 16 KiB, with
    /// no pipe, no thread hop and no wait. Completes synchronously unless SslStream waits for something of its own
    /// (then the rest of its writes wake <see cref="WhenCiphertextReadyAsync"/>). Faulted: the layer is closed.</summary>
    internal ValueTask EncryptInline(ReadOnlyMemory<byte> plaintext)
    {
        using var inline = _toSocket.BeginInline();
        try
        {
            return _ssl.WriteAsync(plaintext);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            return ValueTask.FromException(e);
        }
    }

    /// <summary>The next decrypted bytes (at most <see cref="MaxReadBytes"/>), or the end: the peer's close_notify or FIN
    /// (<see cref="TlsRead.Error"/> null), or a TLS error (a bad record, an alert).</summary>
    public async Task<TlsRead> ReadPlaintextAsync()
    {
        try
        {
            var n = await _ssl.ReadAsync(_plaintext).ConfigureAwait(false);
            return n == 0 ? TlsRead.Ended : new TlsRead(_plaintext.AsSpan(0, n).ToArray(), false);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or ObjectDisposedException or InvalidOperationException)
        {
            return new TlsRead(ReadOnlyMemory<byte>.Empty, true, e.Message);
        }
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into the ciphertext pipe; completes once the pipe is below its
    /// pause threshold. False: the layer is closed or failed.</summary>
    public async Task<bool> WritePlaintextAsync(ReadOnlyMemory<byte> plaintext)
    {
        try
        {
            await _ssl.WriteAsync(plaintext).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Sends close_notify, then ends the ciphertext stream (<see cref="ReadCiphertextAsync"/> returns End
    /// after the alert). Call after the last plaintext write completed.</summary>
    public async Task ShutdownAsync()
    {
        try
        {
            await _ssl.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Nothing more to say to a peer that is gone.
        }

        _toSocket.Complete();
    }

    /// <summary>Ends both directions: a pending <see cref="ReadCiphertextAsync"/> returns End, SslStream's reads end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _ssl.DisposeAsync().ConfigureAwait(false);
        _transport.Dispose(); // SslStream does not always dispose it (e.g. after a failed handshake)
        _toSocket.Complete();
        await _fromSocket.Writer.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>SHA-256 of a certificate's DER bytes, lower-case hex: the fingerprint IRC servers call CertFP.</summary>
    public static string Fingerprint(X509Certificate certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));

    private SslServerAuthenticationOptions ServerOptions(TlsSettings server) => new()
    {
        ServerCertificateContext = server.CertificateContext,
        EnabledSslProtocols = server.EnabledProtocols,
        ClientCertificateRequired = server.ClientCertificates != ClientCertificateMode.None,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
        RemoteCertificateValidationCallback = (_, certificate, _, _) => AcceptClient(server.ClientCertificates, certificate),
    };

    /// <summary>CertFP: identity is the fingerprint, not a CA chain, so any client certificate within its validity
    /// period is accepted (Ergo, InspIRCd and UnrealIRCd do the same).</summary>
    private bool AcceptClient(ClientCertificateMode mode, X509Certificate? certificate)
    {
        if (certificate is null)
        {
            if (mode != ClientCertificateMode.Required) return true;
            (_validationFailure, _validationDetail) = (TlsFailure.ClientCertificateMissing, "client-certificates = required and the client sent none");
            return false;
        }

        var cert = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
        var now = _time.GetUtcNow();
        if (now < cert.NotBefore.ToUniversalTime() || now > cert.NotAfter.ToUniversalTime())
        {
            (_validationFailure, _validationDetail) = (TlsFailure.ClientCertificateRejected, $"client certificate valid {cert.NotBefore:u} .. {cert.NotAfter:u} only");
            return false;
        }

        _clientFingerprint = Fingerprint(cert);
        return true;
    }

    private SslClientAuthenticationOptions ClientOptions(TlsClientOptions client)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = client.ServerName,
            EnabledSslProtocols = client.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            // as on the server side: a renegotiation request from the upstream is refused, not a second handshake mid-stream
            AllowRenegotiation = false,
            RemoteCertificateValidationCallback = (_, _, _, errors) => AcceptServer(client, errors),
        };
        if (client.ClientCertificate is { } mine) options.ClientCertificates = [mine];
        if (client.Verify && client.TrustedRoots is { } roots)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(roots);
            options.CertificateChainPolicy = policy;
        }
        return options;
    }

    private bool AcceptServer(TlsClientOptions client, SslPolicyErrors errors)
    {
        if (!client.Verify || errors == SslPolicyErrors.None) return true;
        (_validationFailure, _validationDetail) = (TlsFailure.ServerCertificateRejected, $"certificate of '{client.ServerName}' rejected: {errors}");
        return false;
    }

    private TlsHandshakeResult Classify(Exception e, bool timedOut, TimeSpan timeout)
    {
        if (timedOut) return TlsHandshakeResult.Failed(TlsFailure.Timeout, $"no handshake within {timeout.TotalMilliseconds:0} ms");
        if (_validationFailure is { } rejected) return TlsHandshakeResult.Failed(rejected, _validationDetail ?? e.Message);
        return _transport.FirstByte switch
        {
            -1 => TlsHandshakeResult.Failed(TlsFailure.PeerClosed, "the peer closed before the handshake"),
            var b when _server is not null && b != PipeDuplexStream.HandshakeRecord =>
                TlsHandshakeResult.Failed(TlsFailure.NotTls, $"not a TLS ClientHello (first byte 0x{b:x2}): plain text on a TLS port"),
            _ => TlsHandshakeResult.Failed(TlsFailure.Protocol, e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message),
        };
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
