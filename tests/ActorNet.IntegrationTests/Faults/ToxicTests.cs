using System.Diagnostics;
using ActorNet.Testing;
using ActorNet.Transport;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>Toxics measurably do what they say, over real sockets.</summary>
[Collection(ActorNet.IntegrationTests.Support.SerialCollection.Name)]
public sealed class ToxicTests(ITestOutputHelper output)
{
    private const string Echo = """
        actornet.listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
        """;

    [Fact(Timeout = 30_000)]
    public async Task Latency_adds_at_least_the_configured_delay_and_removing_it_restores_speed()
    {
        await using var node = await TestNode.StartAsync(Echo);
        await using var client = await node.ConnectAsync("echo");
        Assert.True(await client.ExchangeAsync(5, batch: 1));

        Assert.True((await node.AddToxicAsync("lag", new Dictionary<string, string> { ["type"] = "latency", ["listener"] = "echo", ["latency"] = "200ms" })).Ok);
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            Assert.True(await client.ExchangeAsync(1, batch: 1));
            output.WriteLine($"round trip with latency 200ms: {sw.ElapsedMilliseconds} ms");
            Assert.True(sw.ElapsedMilliseconds >= 200, $"round trip {sw.ElapsedMilliseconds} ms < 200 ms");
        }

        Assert.True((await node.Control.RemoveToxicAsync("lag")).Ok);
        var fast = Stopwatch.StartNew();
        Assert.True(await client.ExchangeAsync(1, batch: 1));
        Assert.True(fast.ElapsedMilliseconds < 200, $"without the toxic: {fast.ElapsedMilliseconds} ms");
        Assert.True(client.Intact);
    }

    [Fact(Timeout = 30_000)]
    public async Task Bandwidth_caps_throughput_within_ten_percent()
    {
        const double rateKiB = 16;
        await using var node = await TestNode.StartAsync(Echo);
        await using var client = await node.ConnectAsync("echo", "bandwidth-probe-" + new string('x', 40));
        Assert.True((await node.AddToxicAsync("thin", new Dictionary<string, string> { ["type"] = "bandwidth", ["listener"] = "echo", ["rate"] = "16" })).Ok);

        const int lines = 600;
        var payload = Enumerable.Range(0, lines).Sum(i => client.Name.Length + 1 + i.ToString().Length);
        var sw = Stopwatch.StartNew();
        Assert.True(await client.SendAsync(lines));
        Assert.True(await client.ReceiveAllAsync(TimeSpan.FromSeconds(15)), client.ToString());
        var seconds = sw.Elapsed.TotalSeconds;
        var measured = payload / 1024.0 / seconds;
        output.WriteLine($"{payload} payload bytes in {seconds:F2} s = {measured:F2} KiB/s (cap {rateKiB} KiB/s)");
        Assert.InRange(measured, rateKiB * 0.9, rateKiB * 1.1);
        Assert.True(client.Intact);
    }

    [Fact(Timeout = 30_000)]
    public async Task Timeout_swallows_then_closes_and_reset_after_resets_one_connection_only()
    {
        await using var node = await TestNode.StartAsync(Echo);
        await using var victim = await node.ConnectAsync("echo");
        await using var other = await node.ConnectAsync("echo");
        Assert.True(await victim.ExchangeAsync(2));
        var id = await node.ConnectionIdOfAsync(victim);

        Assert.True((await node.AddToxicAsync("cut", new Dictionary<string, string> { ["type"] = "timeout", ["connection"] = id.ToString(), ["direction"] = "upstream", ["timeout"] = "300ms" })).Ok);
        Assert.True(await victim.SendAsync(3));
        Assert.True(await victim.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(2, victim.Received); // the 3 lines after the toxic were swallowed
        await KillTests.WaitUntil(() => node.Runtime.Metrics.For("echo").Closed(DisconnectReason.Toxic) == 1, TimeSpan.FromSeconds(5));

        await using var reset = await node.ConnectAsync("echo");
        var resetId = await node.ConnectionIdOfAsync(reset);
        Assert.True((await node.AddToxicAsync("rst", new Dictionary<string, string> { ["type"] = "reset-after", ["connection"] = resetId.ToString(), ["bytes"] = "100" })).Ok);
        Assert.False(await reset.ExchangeAsync(50, batch: 10));
        Assert.True(reset.Closed && reset.PrefixIntact && reset.Received < 50, reset.ToString());

        Assert.True(await other.ExchangeAsync(20), "connections without the toxics are untouched");
        Assert.True(other.Intact);
    }

    [Fact(Timeout = 30_000)]
    public async Task Drop_on_a_udp_listener_drops_datagrams()
    {
        await using var node = await TestNode.StartAsync("""
            actornet.listeners.udp { transport = udp, bind = "127.0.0.1:0", handler = udp-relay, peer-ttl = 60s }
            """);
        using var a = node.ConnectUdp("udp", "a");
        using var b = node.ConnectUdp("udp", "b");
        await b.HelloAsync(); // both prove their address: relay peers
        await a.HelloAsync();
        await a.SendAsync(1);
        Assert.Equal(1, await b.ReceiveAsync(1, TimeSpan.FromSeconds(5)));

        Assert.True((await node.AddToxicAsync("lossy", new Dictionary<string, string> { ["type"] = "drop", ["listener"] = "udp", ["direction"] = "upstream", ["probability"] = "1" })).Ok);
        await a.SendAsync(20);
        Assert.Equal(1, await b.ReceiveAsync(2, TimeSpan.FromMilliseconds(500)));
        Assert.True(node.Runtime.Metrics.For("udp").ToxicDrops >= 20);
    }
}
