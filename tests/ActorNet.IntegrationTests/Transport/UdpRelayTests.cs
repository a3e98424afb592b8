using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorNet.Config;
using ActorNet.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

public sealed class UdpRelayTests(ITestOutputHelper output) : NodeTestKit(output)
{
    [Fact(Timeout = 30_000)]
    public async Task Datagram_reaches_every_other_recent_sender()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("udp", "udp-relay", TransportKind.Udp));
        var relay = bound["udp"];
        using var a = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var b = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var c = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        // each client announces itself (the relay learns peers from what they send)
        await a.SendAsync("hello-a"u8.ToArray(), relay);
        await b.SendAsync("hello-b"u8.ToArray(), relay);
        await c.SendAsync("hello-c"u8.ToArray(), relay);
        Assert.Equal("hello-b", await ReceiveAsync(a));
        Assert.Equal("hello-c", await ReceiveAsync(a));
        Assert.Equal("hello-c", await ReceiveAsync(b));

        await a.SendAsync("payload"u8.ToArray(), relay);
        Assert.Equal("payload", await ReceiveAsync(b));
        Assert.Equal("payload", await ReceiveAsync(c));
    }

    [Fact(Timeout = 30_000)]
    public async Task Udp_echo_returns_the_datagram()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("udp-echo", "echo", TransportKind.Udp));
        using var a = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await a.SendAsync("ping"u8.ToArray(), bound["udp-echo"]);
        Assert.Equal("ping", await ReceiveAsync(a));
    }

    private static async Task<string> ReceiveAsync(UdpClient client)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await client.ReceiveAsync(cts.Token);
        return Encoding.UTF8.GetString(result.Buffer);
    }
}
