using System.Net.WebSockets;
using ActorNet.Config;
using ActorNet.IntegrationTests.Chat;
using ActorNet.IntegrationTests.Support;
using Akka.Configuration;
using Xunit;
using Xunit.Abstractions;
using static ActorNet.IntegrationTests.Transport.WebSocketTests;

namespace ActorNet.IntegrationTests.Transport;

/// <summary>handler = irc on a websocket listener and a TCP listener: one chat, one line per WebSocket message.</summary>
public sealed class WebSocketChatTests(ITestOutputHelper output) : NodeTestKit(output)
{
    [Fact(Timeout = 60_000)]
    public async Task A_websocket_client_and_a_tcp_irc_client_chat_in_one_channel()
    {
        var options = ConfigurationFactory.ParseString(ChatNodeTestKit.DefaultOptions);
        var tcp = TestSettings.Listener("chat", "irc") with { LineEnding = LineEnding.CrLf, MaxFrameBytes = 8704, Options = options };
        var web = Ws("web", "irc", maxFrameBytes: 8704) with { Options = options };
        var bound = await StartNodeAsync(tcp, web);

        using var ws = await ConnectAsync(bound["web"], "/", "text.ircv3.net");
        Assert.Equal("text.ircv3.net", ws.SubProtocol);
        await SendTextAsync(ws, "NICK webby");
        await SendTextAsync(ws, "USER webby 0 * :Web User");
        await ExpectAsync(ws, l => l.Contains(" 376 webby ") || l.Contains(" 422 webby "));
        await SendTextAsync(ws, "JOIN #room");
        await ExpectAsync(ws, l => l.Contains(" 366 webby #room "));

        await using var irc = await IrcClient.RegisteredAsync(bound["chat"], "tcpuser");
        await irc.SendAsync("JOIN #room");
        await irc.ExpectAsync(l => l.Contains(" 366 tcpuser #room "));
        await ExpectAsync(ws, l => l == ":tcpuser!~tcpuser@127.0.0.1 JOIN #room");

        await irc.SendAsync("PRIVMSG #room :hello from tcp");
        await ExpectAsync(ws, l => l == ":tcpuser!~tcpuser@127.0.0.1 PRIVMSG #room :hello from tcp");
        await SendTextAsync(ws, "PRIVMSG #room :hello from the web ✓");
        await irc.ExpectAsync(":webby!~webby@127.0.0.1 PRIVMSG #room :hello from the web ✓");

        await SendTextAsync(ws, "QUIT :bye");
        await irc.ExpectAsync(l => l.StartsWith(":webby!~webby@127.0.0.1 QUIT ", StringComparison.Ordinal));
        var (type, _) = await ExpectAsync(ws, _ => false, untilClose: true);
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
    }

    /// <summary>Reads messages (each one IRC line, no CRLF) until one matches, or until the close when asked.</summary>
    private static async Task<(WebSocketMessageType Type, string Line)> ExpectAsync(ClientWebSocket ws, Func<string, bool> match, bool untilClose = false)
    {
        var seen = new List<string>();
        while (true)
        {
            var (type, line) = await ReceiveAsync(ws);
            if (type == WebSocketMessageType.Close)
            {
                if (untilClose) return (type, line);
                throw new Xunit.Sdk.XunitException("closed; seen:\n" + string.Join('\n', seen));
            }

            Assert.DoesNotContain('\n', line);
            seen.Add(line);
            if (match(line)) return (type, line);
        }
    }
}
