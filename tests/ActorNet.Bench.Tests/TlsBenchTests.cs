using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorNet.Bench.Clients;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Tests;

/// <summary>`actornet bench echo --tls`: the bench client speaks TLS (what bench/tls-bench.sh measures with).</summary>
public class TlsBenchTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Echo_bench_over_tls_gets_every_line_back_in_order()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            var sessions = new List<Task>();
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(stop.Token);
                    sessions.Add(Task.Run(async () =>
                    {
                        using var c = client;
                        await using var tls = new SslStream(c.GetStream());
                        await tls.AuthenticateAsServerAsync(certificate);
                        var buffer = new byte[16 * 1024];
                        int n;
                        while ((n = await tls.ReadAsync(buffer)) > 0) await tls.WriteAsync(buffer.AsMemory(0, n)); // bytes back as they come: lines stay whole
                    }));
                }
            }
            catch (OperationCanceledException) { }
            await Task.WhenAll(sessions).WaitAsync(Bound).ContinueWith(_ => { });
        });

        var o = new BenchOptions { Port = ((IPEndPoint)listener.LocalEndpoint).Port, Clients = 3, Messages = 500, Size = 64, Tls = true, Timeout = Bound, Progress = false };
        var report = await EchoBench.RunAsync(o, TextWriter.Null, CancellationToken.None).WaitAsync(Bound);
        stop.Cancel();
        listener.Stop();
        await server.WaitAsync(Bound);
        Assert.True(report.Ok, report.ToTable());
        Assert.Equal(1500, report.Get("echoed"));
        Assert.Equal(0, report.Get("lost"));
        Assert.Equal(0, report.Get("reordered"));
    }
}
