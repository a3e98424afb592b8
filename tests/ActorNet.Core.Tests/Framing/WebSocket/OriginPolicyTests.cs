using System.Net;
using System.Text;
using ActorNet.Framing;
using Xunit;
using static ActorNet.Core.Tests.Framing.WebSocket.WebSocketTestUtil;

namespace ActorNet.Core.Tests.Framing.WebSocket;

/// <summary>The Origin check against cross-site WebSocket hijacking (issue 15, item 1), as pure code.</summary>
public class OriginPolicyTests
{
    private static readonly OriginPolicy Default = OriginPolicy.SelfServed(
        new IPEndPoint(IPAddress.Loopback, 8081), new IPEndPoint(IPAddress.Loopback, 8080));

    private static HandshakeResult Respond(string? origin, OriginPolicy policy)
    {
        var request = Request();
        if (origin is not null) request = request.Replace("Host: 127.0.0.1:8081\r\n", $"Host: 127.0.0.1:8081\r\nOrigin: {origin}\r\n");
        return WebSocketHandshake.Respond(Encoding.ASCII.GetBytes(request[..^4]), "/", policy);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]  // the web chat, served by the admin endpoint
    [InlineData("http://localhost:8080")]
    [InlineData("HTTP://LOCALHOST:8080")]
    [InlineData("https://127.0.0.1:8080")]
    [InlineData("http://[::1]:8080")]
    [InlineData("http://127.0.0.1:8081")]  // the listener's own host
    public void Pages_the_node_serves_itself_may_connect(string origin)
    {
        var r = Respond(origin, Default);
        Assert.True(r.Accepted, r.Error);
    }

    [Theory]
    [InlineData("http://evil.example")]              // any other site
    [InlineData("http://127.0.0.1:9999")]            // another local service (another port = another origin)
    [InlineData("http://127.0.0.1")]                 // port 80
    [InlineData("http://localhost.evil.example:8080")]
    [InlineData("http://evil.example:8080")]          // DNS rebinding: the page keeps its own name
    [InlineData("null")]                              // a sandboxed frame or a file: page
    [InlineData("http://127.0.0.1:8080/chat")]        // not an origin
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    public void Any_other_page_gets_403_with_a_reason(string origin)
    {
        var r = Respond(origin, Default);
        Assert.False(r.Accepted);
        Assert.Equal(403, r.Status);
        Assert.Contains("allowed-origins", r.Error);
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", Encoding.ASCII.GetString(r.Response.ToArray()));
    }

    [Fact]
    public void A_handshake_without_origin_is_not_a_browser_and_is_allowed() =>
        Assert.True(Respond(null, Default).Accepted);

    [Fact]
    public void Star_allows_every_page_and_an_explicit_list_only_its_own()
    {
        var star = OriginPolicy.FromList(["*"], out var e1);
        Assert.Null(e1);
        Assert.True(Respond("http://evil.example", star!).Accepted);
        Assert.True(Respond("null", star!).Accepted);

        var list = OriginPolicy.FromList(["https://chat.example.com", "http://127.0.0.1:3000"], out var e2);
        Assert.Null(e2);
        Assert.True(Respond("https://chat.example.com", list!).Accepted);
        Assert.True(Respond("https://chat.example.com:443", list!).Accepted);
        Assert.True(Respond("http://127.0.0.1:3000", list!).Accepted);
        Assert.False(Respond("http://127.0.0.1:8080", list!).Accepted); // an explicit list replaces the default
        Assert.False(Respond("http://chat.example.com", list!).Accepted);
    }

    [Theory]
    [InlineData("chat.example.com")]
    [InlineData("http://a.example/path")]
    [InlineData("ftp://a.example")]
    public void A_config_entry_that_is_not_an_origin_is_an_error(string entry)
    {
        Assert.Null(OriginPolicy.FromList([entry], out var error));
        Assert.Contains(entry, error);
        Assert.Null(OriginPolicy.FromList(["*", "http://a.example"], out var star));
        Assert.Contains("only entry", star);
    }

    [Fact]
    public void A_wildcard_bind_allows_ip_literals_and_localhost_at_its_port_but_no_host_name()
    {
        var any = OriginPolicy.SelfServed(new IPEndPoint(IPAddress.Any, 8081), new IPEndPoint(IPAddress.Loopback, 8080));
        Assert.True(any.Allows("http://192.168.1.20:8081"));
        Assert.True(any.Allows("http://localhost:8081"));
        Assert.False(any.Allows("http://192.168.1.20:8082"));
        Assert.False(any.Allows("http://rebind.evil.example:8081"));
    }
}
