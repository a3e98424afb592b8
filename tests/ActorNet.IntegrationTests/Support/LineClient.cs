using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorNet.IntegrationTests.Support;

/// <summary>A plain TCP client speaking LF-terminated lines, every read bounded by a timeout.</summary>
public sealed class LineClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _client;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _pending = new();

    private LineClient(TcpClient client, Stream? stream = null)
    {
        _client = client;
        _stream = stream ?? client.GetStream();
    }

    /// <summary>Connects and runs a TLS handshake trusting only <paramref name="ca"/> (name checked: localhost);
    /// presents <paramref name="clientCertificate"/> when given (IRC CertFP).</summary>
    public static async Task<LineClient> ConnectTlsAsync(IPEndPoint endpoint, System.Security.Cryptography.X509Certificates.X509Certificate2 ca,
        System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null)
    {
        var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        using var cts = new CancellationTokenSource(DefaultTimeout);
        await client.ConnectAsync(endpoint, cts.Token);
        var ssl = new System.Net.Security.SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var policy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
        {
            TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
            RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(ca);
        var options = new System.Net.Security.SslClientAuthenticationOptions { TargetHost = "localhost", CertificateChainPolicy = policy };
        if (clientCertificate is not null) options.ClientCertificates = [clientCertificate];
        await ssl.AuthenticateAsClientAsync(options, cts.Token);
        return new LineClient(client, ssl);
    }

    public Socket Socket => _client.Client;

    public static async Task<LineClient> ConnectAsync(IPEndPoint endpoint, int? receiveBufferSize = null)
    {
        var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        if (receiveBufferSize is { } size) client.ReceiveBufferSize = size;
        using var cts = new CancellationTokenSource(DefaultTimeout);
        await client.ConnectAsync(endpoint, cts.Token);
        return new LineClient(client);
    }

    /// <summary>A client over a socket connected elsewhere (e.g. inside a network namespace).</summary>
    public static LineClient Over(Socket connected) => new(new TcpClient { Client = connected, NoDelay = true });

    public async Task SendLineAsync(string line) => await SendAsync(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var cts = new CancellationTokenSource(DefaultTimeout);
        await _stream.WriteAsync(bytes, cts.Token);
    }

    /// <summary>The next line without its terminator; null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var data = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
            var newline = data.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(data[..newline]).TrimEnd('\r');
                var rest = data[(newline + 1)..].ToArray();
                _pending.SetLength(0);
                _pending.Write(rest);
                return line;
            }

            var read = await _stream.ReadAsync(_buffer, cts.Token);
            if (read == 0) return null;
            _pending.Write(_buffer, 0, read);
        }
    }

    /// <summary>Reads until the server closes (true) or the timeout passes (false); data read meanwhile is discarded.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (await _stream.ReadAsync(_buffer, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true; // reset by the server counts as closed
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Closes with a TCP reset instead of a FIN.</summary>
    public void Reset()
    {
        _client.Client.LingerState = new LingerOption(true, 0);
        _client.Close();
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
