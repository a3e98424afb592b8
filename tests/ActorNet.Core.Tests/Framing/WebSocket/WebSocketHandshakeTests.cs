using System.Text;
using ActorNet.Framing;
using Xunit;
using static ActorNet.Core.Tests.Framing.WebSocket.WebSocketTestUtil;

namespace ActorNet.Core.Tests.Framing.WebSocket;

public class WebSocketHandshakeTests
{
    private static HandshakeResult Respond(string request, string path = "/")
    {
        var head = request.EndsWith("\r\n\r\n", StringComparison.Ordinal) ? request[..^4] : request;
        return WebSocketHandshake.Respond(Encoding.ASCII.GetBytes(head), path);
    }

    private static string Text(HandshakeResult r) => Encoding.ASCII.GetString(r.Response.ToArray());

    [Fact]
    public void Accept_key_matches_the_rfc_sample() =>
        Assert.Equal(SampleAccept, WebSocketHandshake.AcceptKey(SampleKey));

    [Fact]
    public void A_valid_request_gets_101_with_the_accept_key_and_no_subprotocol()
    {
        var r = Respond(Request());
        Assert.True(r.Accepted);
        Assert.Equal(101, r.Status);
        Assert.Null(r.Subprotocol);
        var text = Text(r);
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", text);
        Assert.Contains("\r\nUpgrade: websocket\r\n", text);
        Assert.Contains("\r\nConnection: Upgrade\r\n", text);
        Assert.Contains($"\r\nSec-WebSocket-Accept: {SampleAccept}\r\n", text);
        Assert.DoesNotContain("Sec-WebSocket-Protocol", text);
        Assert.EndsWith("\r\n\r\n", text);
    }

    [Fact]
    public void Header_names_and_upgrade_tokens_are_case_insensitive_and_the_query_is_ignored()
    {
        var request = "GET /irc?x=1 HTTP/1.1\r\nhost: a\r\nUPGRADE: WebSocket\r\nconnection: upgrade\r\nsec-websocket-key: " + SampleKey +
                      "\r\nsec-websocket-version: 13\r\n\r\n";
        Assert.True(Respond(request, "/irc").Accepted);
    }

    [Theory]
    [InlineData("text.ircv3.net", "text.ircv3.net")]
    [InlineData("binary.ircv3.net, text.ircv3.net", "binary.ircv3.net")]
    [InlineData("text.ircv3.net,binary.ircv3.net", "text.ircv3.net")]
    [InlineData("chat, binary.ircv3.net", "binary.ircv3.net")]
    [InlineData("chat, superchat", null)]
    public void Subprotocol_is_the_first_supported_one_in_the_clients_order(string offered, string? expected)
    {
        var r = Respond(Request(protocols: offered));
        Assert.True(r.Accepted);
        Assert.Equal(expected, r.Subprotocol);
        if (expected is null) Assert.DoesNotContain("Sec-WebSocket-Protocol", Text(r));
        else Assert.Contains($"\r\nSec-WebSocket-Protocol: {expected}\r\n", Text(r));
    }

    [Fact]
    public void Missing_key_is_400() => AssertRefused(Respond(Request(key: null)), 400, "Sec-WebSocket-Key");

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("AAAAAAAAAAAAAAAA")] // base64 of 12 bytes, not 16
    public void Invalid_key_is_400(string key) => AssertRefused(Respond(Request(key: key)), 400, "Sec-WebSocket-Key");

    [Fact]
    public void Wrong_version_is_426_naming_version_13()
    {
        var r = Respond(Request(version: "8"));
        AssertRefused(r, 426, "13");
        Assert.Contains("\r\nSec-WebSocket-Version: 13\r\n", Text(r));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public void Method_other_than_get_is_400(string method) => AssertRefused(Respond(Request(method: method)), 400, "GET");

    [Fact]
    public void Http_1_0_is_400() => AssertRefused(Respond(Request(http: "HTTP/1.0")), 400, "HTTP/1.1");

    [Fact]
    public void Wrong_path_is_404() => AssertRefused(Respond(Request(path: "/other"), path: "/irc"), 404, "/irc");

    [Fact]
    public void No_upgrade_header_is_426() => AssertRefused(Respond(Request(upgrade: false)), 426, "Upgrade");

    [Fact]
    public void No_host_is_400() => AssertRefused(Respond(Request(host: false)), 400, "Host");

    [Theory]
    [InlineData("")]
    [InlineData("GET /")]
    [InlineData("garbage")]
    [InlineData("GET / HTTP/1.1\r\nno colon here")]
    public void Malformed_heads_are_400(string head)
    {
        var r = WebSocketHandshake.Respond(Encoding.ASCII.GetBytes(head), "/");
        AssertRefused(r, 400, "");
    }

    private static void AssertRefused(HandshakeResult r, int status, string errorMentions)
    {
        Assert.False(r.Accepted);
        Assert.Equal(status, r.Status);
        Assert.Contains(errorMentions, r.Error);
        var text = Text(r);
        Assert.StartsWith($"HTTP/1.1 {status} ", text);
        Assert.Contains("\r\nConnection: close\r\n", text);
        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.Contains($"\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n", text);
    }
}
