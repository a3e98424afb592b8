using System.Net.Security;
using System.Net.Sockets;

namespace ActorNet.Bench.Core;

/// <summary>
/// `--tls`: a bench client speaks TLS over its connected socket. The bench measures the server's cost of TLS, not
/// trust: any certificate is accepted (the servers benched are on 127.0.0.1 with throwaway certificates).
/// </summary>
public static class BenchTls
{
    /// <summary>Runs the TLS handshake over <paramref name="socket"/> (the stream does not own it).</summary>
    public static async Task<SslStream> ConnectAsync(Socket socket, CancellationToken ct)
    {
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, ct).ConfigureAwait(false);
        return tls;
    }
}
