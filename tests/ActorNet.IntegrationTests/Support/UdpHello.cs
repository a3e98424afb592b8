using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace ActorNet.IntegrationTests.Support;

/// <summary>The udp-relay's proof of address as a client does it (README: UDP relay).</summary>
public static class UdpHello
{
    /// <summary>Any datagram, echo the COOKIE answer, expect WELCOME: from then on the client is a relay peer.</summary>
    public static async Task HelloAsync(UdpClient client, IPEndPoint relay)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.SendAsync("hello"u8.ToArray(), relay, cts.Token);
        var cookie = Encoding.ASCII.GetString((await client.ReceiveAsync(cts.Token)).Buffer);
        Assert.StartsWith("COOKIE ", cookie);
        await client.SendAsync(Encoding.ASCII.GetBytes(cookie), relay, cts.Token);
        Assert.Equal("WELCOME\n", Encoding.ASCII.GetString((await client.ReceiveAsync(cts.Token)).Buffer));
    }
}
