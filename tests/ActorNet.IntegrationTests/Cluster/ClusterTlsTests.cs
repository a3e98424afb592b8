using System.Diagnostics;
using ActorNet.Config;
using ActorNet.IntegrationTests.Support;
using Akka.Cluster;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>
/// Issue 15 item 4: a cluster on mutual TLS (certificates from config/cluster/make-certs.sh, i.e. openssl) lets in
/// a member whose certificate its CA signed, and keeps out a node with a certificate of another CA (which Akka.Remote
/// then shuts down) and a node without TLS at all.
/// </summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class ClusterTlsTests : IDisposable
{
    private const string Echo = """echo { bind = "127.0.0.1:0", handler = echo }""";
    private readonly string _dir = Directory.CreateTempSubdirectory("actornet-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> MakeCertsAsync(string folder, params string[] nodes)
    {
        var out_ = Path.Combine(_dir, folder);
        var start = new ProcessStartInfo("bash", [RepoPaths.File("config/cluster/make-certs.sh"), out_, .. nodes])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.True(process.ExitCode == 0, await stderr);
        return out_;
    }

    private static string Tls(string dir, string node) => $$"""
        tls {
          enabled = on
          certificate = "{{Path.Combine(dir, node + ".p12")}}"
          ca-certificate = "{{Path.Combine(dir, "ca.pem")}}"
        }
        """;

    [Fact(Timeout = 120_000)]
    public async Task Only_a_node_with_a_certificate_of_the_cluster_CA_joins()
    {
        var good = await MakeCertsAsync("cluster", "node-a", "node-c");
        var rogue = await MakeCertsAsync("rogue", "node-b");
        var seed = FreePort.Next();
        await using var a = await ClusterNode.StartAsync(ClusterNode.Config("node-a", seed, seed, Echo, Tls(good, "node-a")));
        await a.AwaitMembersUpAsync(1, TimeSpan.FromSeconds(30));

        // both intruders try to join through the seed while the legitimate member does. The one with a certificate
        // of another CA refuses the seed's certificate in its own outbound handshake, and Akka.Remote (1.5.75) then
        // shuts that actor system down (exit code 79: a misconfigured member stops instead of half-working); when
        // that happens relative to its listeners binding is a race, so it is run until it stops, and the reason checked
        var rogueStopped = ClusterNode.RunUntilItStopsAsync(ClusterNode.Config("node-b", 0, seed, Echo, Tls(rogue, "node-b")), TimeSpan.FromSeconds(60));
        await using var plain = await ClusterNode.StartAsync(ClusterNode.Config("node-d", 0, seed, Echo));
        await using var c = await ClusterNode.StartAsync(ClusterNode.Config("node-c", 0, seed, Echo, Tls(good, "node-c")));
        await a.AwaitMembersUpAsync(2, TimeSpan.FromSeconds(40));
        await c.AwaitMembersUpAsync(2, TimeSpan.FromSeconds(20));

        // give the intruders a few more join rounds (akka retries every few seconds), bounded
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(6);
        while (DateTime.UtcNow < until)
        {
            Assert.Equal(2, a.Cluster.State.Members.Count);
            await Task.Delay(200);
        }

        Assert.Equal(new[] { a.Cluster.SelfAddress, c.Cluster.SelfAddress }.ToHashSet(),
            a.Cluster.State.Members.Select(m => m.Address).ToHashSet());
        Assert.Equal("TlsHandshakeFailureReason", (await rogueStopped)?.GetType().Name);
        Assert.DoesNotContain(plain.Cluster.State.Members, m => m.Status == MemberStatus.Up);
    }

    [Fact(Timeout = 60_000)]
    public async Task Tls_keys_are_checked_at_load_with_the_key_at_fault()
    {
        var good = await MakeCertsAsync("cluster", "node-a");
        var rogue = await MakeCertsAsync("rogue", "node-b");
        string[] Errors(string tls)
        {
            var (config, parseErrors) = ConfigSource.Parse(ClusterNode.Config("n", 0, 4053, Echo, tls));
            Assert.Empty(parseErrors);
            return NodeSettingsLoader.Load(config!).Errors.Select(e => $"{e.Path}: {e.Reason}").ToArray();
        }

        Assert.Empty(Errors(Tls(good, "node-a")));
        Assert.Contains(Errors("tls { enabled = on }"), e => e.Contains("actornet.cluster.tls.certificate") && e.Contains("no certificate"));
        Assert.Contains(Errors($$"""tls { enabled = on, certificate = "{{good}}/nope.p12", ca-certificate = "{{good}}/ca.pem" }"""),
            e => e.Contains("actornet.cluster.tls.certificate") && e.Contains("no such file"));
        Assert.Contains(Errors($$"""tls { enabled = on, certificate = "{{good}}/ca.pem", ca-certificate = "{{good}}/ca.pem" }"""),
            e => e.Contains("actornet.cluster.tls.certificate") && e.Contains("PKCS#12"));
        // a certificate of another CA: the other members would refuse it, so the node does not start
        Assert.Contains(Errors($$"""tls { enabled = on, certificate = "{{rogue}}/node-b.p12", ca-certificate = "{{good}}/ca.pem" }"""),
            e => e.Contains("actornet.cluster.tls.certificate") && e.Contains("not issued by the CA"));
        Assert.Contains(Errors("tls { enabled = on, colour = blue }"), e => e.Contains("colour"));
    }
}
