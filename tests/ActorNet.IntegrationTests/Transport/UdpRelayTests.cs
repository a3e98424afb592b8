using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.Runtime;
using ActorNet.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

/// <summary>udp-relay: relays among peers that proved their address, rate-limited per peer (issue 15 item 5).</summary>
public sealed class UdpRelayTests(ITestOutputHelper output) : NodeTestKit(output)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    [Fact(Timeout = 30_000)]
    public async Task Datagram_reaches_every_other_peer_that_proved_its_address()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("udp", "udp-relay", TransportKind.Udp));
        var relay = bound["udp"];
        using var a = Client();
        using var b = Client();
        using var c = Client();
        foreach (var client in new[] { a, b, c }) await UdpHello.HelloAsync(client, relay);

        await a.SendAsync("payload"u8.ToArray(), relay);
        Assert.Equal("payload", await ReceiveAsync(b));
        Assert.Equal("payload", await ReceiveAsync(c));
        await c.SendAsync("back"u8.ToArray(), relay);
        Assert.Equal("back", await ReceiveAsync(a));
        Assert.Equal("back", await ReceiveAsync(b));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_sender_without_proof_of_address_is_never_relayed_and_gets_only_its_cookie()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("udp", "udp-relay", TransportKind.Udp));
        var relay = bound["udp"];
        using var a = Client();
        using var b = Client();
        using var spoofer = Client();
        await UdpHello.HelloAsync(a, relay);
        await UdpHello.HelloAsync(b, relay);

        // a spoofed source never sees its cookie: what it sends stays with the relay, one short COOKIE goes back
        var attack = new byte[1000];
        await spoofer.SendAsync(attack, relay);
        var cookie = await ReceiveAsync(spoofer);
        Assert.Matches("^COOKIE [0-9a-f]{16}\n$", cookie);
        Assert.True(cookie.Length < 30, "the answer to an unproven sender must stay tiny");
        // a wrong cookie, and another address's cookie, prove nothing
        await spoofer.SendAsync("COOKIE 0000000000000000"u8.ToArray(), relay);
        using var other = Client();
        await other.SendAsync(Encoding.ASCII.GetBytes(cookie), relay); // echoed from the wrong address
        await spoofer.SendAsync(attack, relay);
        Assert.False(await ArrivesAsync(a), "a datagram of an unproven sender was relayed");
        Assert.False(await ArrivesAsync(b), "a datagram of an unproven sender was relayed");
        Assert.True(Metrics().UdpUnverifiedDrops >= 4);
        Assert.Contains("actornet_udp_unverified_drops_total{listener=\"udp\"}", PrometheusText.Render([Metrics()]));

        // the right cookie from the right address: now a peer
        await spoofer.SendAsync(Encoding.ASCII.GetBytes(cookie), relay);
        Assert.StartsWith("COOKIE", await ReceiveAsync(spoofer)); // answers to the two bad attempts, in order
        Assert.StartsWith("COOKIE", await ReceiveAsync(spoofer));
        Assert.Equal("WELCOME\n", await ReceiveAsync(spoofer));
        await spoofer.SendAsync("now relayed"u8.ToArray(), relay);
        Assert.Equal("now relayed", await ReceiveAsync(a));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_peer_over_its_packet_rate_is_cut_to_the_rate()
    {
        var listener = TestSettings.Listener("udp", "udp-relay", TransportKind.Udp) with
        {
            UdpRelay = UdpRelayLimits.Default with { PacketsPerSecond = 5 },
        };
        var relay = (await StartNodeAsync(listener))["udp"];
        using var a = Client();
        using var b = Client();
        await UdpHello.HelloAsync(a, relay);
        await UdpHello.HelloAsync(b, relay);

        for (var i = 0; i < 50; i++) await a.SendAsync(Encoding.ASCII.GetBytes($"m{i}"), relay);
        var relayed = 0;
        while (await ArrivesAsync(b)) relayed++;
        // a burst of one second's worth (5), plus what refilled while 50 datagrams were sent
        Assert.InRange(relayed, 5, 15);
        await AwaitAssertAsync(() => Assert.Equal(50 - relayed, Metrics().UdpRateLimitDrops), TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_peer_over_its_byte_rate_is_cut_and_cookies_are_capped_per_listener()
    {
        var listener = TestSettings.Listener("udp", "udp-relay", TransportKind.Udp) with
        {
            MaxFrameBytes = 1000,
            UdpRelay = UdpRelayLimits.Default with { BytesPerSecond = 3000, HelloRate = 3 },
        };
        var relay = (await StartNodeAsync(listener))["udp"];
        using var a = Client();
        using var b = Client();
        await UdpHello.HelloAsync(a, relay);
        await UdpHello.HelloAsync(b, relay);

        for (var i = 0; i < 20; i++) await a.SendAsync(new byte[1000], relay);
        var relayed = 0;
        while (await ArrivesAsync(b)) relayed++;
        Assert.InRange(relayed, 3, 8); // 3000 bytes of burst, and a little refill

        // the two hellos above took 2 of the 3 cookies of this second (the refill is 3/s): 20 more unproven
        // datagrams get only a few answers
        using var flood = Client();
        for (var i = 0; i < 20; i++) await flood.SendAsync("x"u8.ToArray(), relay);
        var cookies = 0;
        while (await ArrivesAsync(flood)) cookies++;
        Assert.InRange(cookies, 1, 6);
    }

    [Fact(Timeout = 30_000)]
    public async Task Udp_echo_returns_the_datagram()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("udp-echo", "echo", TransportKind.Udp));
        using var a = Client();
        await a.SendAsync("ping"u8.ToArray(), bound["udp-echo"]);
        Assert.Equal("ping", await ReceiveAsync(a));
    }

    private ListenerMetrics Metrics() => NodeRuntime.Get(Sys).Metrics.For("udp");

    private static UdpClient Client() => new(new IPEndPoint(IPAddress.Loopback, 0));

    private static async Task<bool> ArrivesAsync(UdpClient client)
    {
        using var cts = new CancellationTokenSource(Quiet);
        try
        {
            await client.ReceiveAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<string> ReceiveAsync(UdpClient client)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await client.ReceiveAsync(cts.Token);
        return Encoding.UTF8.GetString(result.Buffer);
    }
}
