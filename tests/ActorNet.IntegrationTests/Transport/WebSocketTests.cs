using System.Net;
using System.Net.WebSockets;
using System.Text;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.IntegrationTests.Support;
using ActorNet.Runtime;
using ActorNet.Transport;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

/// <summary>transport = websocket over real sockets: ClientWebSocket for what a browser does, a raw TcpClient for the
/// frames a well-behaved client never sends.</summary>
public sealed class WebSocketTests(ITestOutputHelper output) : NodeTestKit(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    internal static ListenerSettings Ws(string name, string handler, int maxFrameBytes = 4096) =>
        TestSettings.Listener(name, handler, TransportKind.WebSocket) with { MaxFrameBytes = maxFrameBytes };

    internal static async Task<ClientWebSocket> ConnectAsync(IPEndPoint endpoint, string path = "/", params string[] subprotocols)
    {
        var ws = new ClientWebSocket();
        foreach (var p in subprotocols) ws.Options.AddSubProtocol(p);
        using var cts = new CancellationTokenSource(Timeout);
        await ws.ConnectAsync(new Uri($"ws://{endpoint}{path}"), cts.Token);
        return ws;
    }

    internal static async Task SendTextAsync(ClientWebSocket ws, string text)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    /// <summary>One whole message (text or binary), or the close (Type = Close, status in the socket).</summary>
    internal static async Task<(WebSocketMessageType Type, string Text)> ReceiveAsync(ClientWebSocket ws)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, cts.Token);
            message.Write(buffer, 0, r.Count);
            if (r.EndOfMessage || r.MessageType == WebSocketMessageType.Close)
                return (r.MessageType, Encoding.UTF8.GetString(message.ToArray()));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Echo_over_websocket_round_trips_messages_and_the_close_handshake()
    {
        var bound = await StartNodeAsync(Ws("ws", "echo"));
        using var ws = await ConnectAsync(bound["ws"]);
        Assert.Equal(WebSocketState.Open, ws.State);

        await SendTextAsync(ws, "hello");
        Assert.Equal((WebSocketMessageType.Text, "hello"), await ReceiveAsync(ws));
        var big = new string('x', 3000) + "é";
        await SendTextAsync(ws, big);
        Assert.Equal((WebSocketMessageType.Text, big), await ReceiveAsync(ws));

        // fragmented by the client: one message for the handler, one echo
        using (var cts = new CancellationTokenSource(Timeout))
        {
            await ws.SendAsync("frag"u8.ToArray(), WebSocketMessageType.Text, false, cts.Token);
            await ws.SendAsync("mented"u8.ToArray(), WebSocketMessageType.Text, true, cts.Token);
        }

        Assert.Equal((WebSocketMessageType.Text, "fragmented"), await ReceiveAsync(ws));

        using (var cts = new CancellationTokenSource(Timeout))
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
        await AwaitAssertAsync(() => Assert.Equal(0, ActorNet.Runtime.NodeRuntime.Get(Sys).Connections.Count), Timeout);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_message_over_max_frame_bytes_gets_close_1009()
    {
        var bound = await StartNodeAsync(Ws("ws", "echo", maxFrameBytes: 1000));
        using var ws = await ConnectAsync(bound["ws"]);
        await SendTextAsync(ws, new string('a', 1000));
        Assert.Equal(1000, (await ReceiveAsync(ws)).Text.Length);
        await SendTextAsync(ws, new string('a', 1001));
        var (type, _) = await ReceiveAsync(ws);
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, ws.CloseStatus);
    }

    [Fact(Timeout = 30_000)]
    public async Task Invalid_utf8_in_a_text_message_gets_close_1007()
    {
        var bound = await StartNodeAsync(Ws("ws", "echo"));
        await using var raw = await RawWebSocket.OpenAsync(bound["ws"]);
        await raw.SendAsync(RawWebSocket.Frame(0x1, "ok"u8.ToArray()));
        var echo = await raw.ReadFrameAsync();
        Assert.Equal("ok", Encoding.UTF8.GetString(echo!.Value.Payload));
        await raw.SendAsync(RawWebSocket.Frame(0x1, [0x68, 0xC3, 0x28]));
        Assert.Equal(1007, await raw.ReadCloseCodeAsync());
        Assert.Null(await raw.ReadFrameAsync()); // then the server closes the socket
    }

    [Theory(Timeout = 30_000)]
    [InlineData("unmasked")]
    [InlineData("opcode")]
    [InlineData("reserved")]
    [InlineData("long ping")]
    public async Task Protocol_errors_get_close_1002_and_the_node_stays_up(string kind)
    {
        var bound = await StartNodeAsync(Ws("ws", "echo"));
        await using var raw = await RawWebSocket.OpenAsync(bound["ws"]);
        var frame = kind switch
        {
            "unmasked" => RawWebSocket.Frame(0x1, "hi"u8.ToArray(), masked: false),
            "opcode" => RawWebSocket.Frame(0x3, "hi"u8.ToArray()),
            "reserved" => RawWebSocket.Frame(0x40 | 0x1, "hi"u8.ToArray()),
            _ => RawWebSocket.Frame(0x9, new byte[200]),
        };
        await raw.SendAsync(frame);
        Assert.Equal(1002, await raw.ReadCloseCodeAsync());

        using var ws = await ConnectAsync(bound["ws"]);
        await SendTextAsync(ws, "still here");
        Assert.Equal("still here", (await ReceiveAsync(ws)).Text);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_bad_handshake_gets_an_http_error_and_the_connection_closes()
    {
        var bound = await StartNodeAsync(Ws("ws", "echo") with { WebSocketPath = "/irc" });
        await using (var raw = await RawWebSocket.ConnectAsync(bound["ws"]))
        {
            await raw.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                                                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
            Assert.StartsWith("HTTP/1.1 404 ", Encoding.ASCII.GetString(await raw.ReadToEndAsync()));
        }

        await using (var raw = await RawWebSocket.ConnectAsync(bound["ws"]))
        {
            await raw.SendAsync(Encoding.ASCII.GetBytes("GET /irc HTTP/1.1\r\nHost: x\r\n\r\n"));
            Assert.StartsWith("HTTP/1.1 426 ", Encoding.ASCII.GetString(await raw.ReadToEndAsync()));
        }

        using var ws = await ConnectAsync(bound["ws"], "/irc");
        Assert.Equal(WebSocketState.Open, ws.State);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_killed_websocket_connection_gets_close_1001_and_ping_gets_pong()
    {
        var bound = await StartNodeAsync(Ws("ws", "echo"));
        await using var raw = await RawWebSocket.OpenAsync(bound["ws"]);
        await raw.SendAsync(RawWebSocket.Frame(0x9, "p"u8.ToArray()));
        var pong = await raw.ReadFrameAsync();
        Assert.Equal(0xA, pong!.Value.Opcode);
        Assert.Equal("p", Encoding.UTF8.GetString(pong.Value.Payload));

        var entry = Assert.Single(NodeRuntime.Get(Sys).Connections.Snapshot());
        entry.Actor.Tell(new Connection.Kill(KillMode.Close, "test"), Akka.Actor.ActorRefs.NoSender);
        Assert.Equal(1001, await raw.ReadCloseCodeAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Binary_ircv3_subprotocol_makes_the_server_send_binary_frames()
    {
        var bound = await StartNodeAsync(Ws("ws", "echo"));
        using var ws = await ConnectAsync(bound["ws"], "/", "binary.ircv3.net", "text.ircv3.net");
        Assert.Equal("binary.ircv3.net", ws.SubProtocol);
        await SendTextAsync(ws, "PING x");
        Assert.Equal((WebSocketMessageType.Binary, "PING x"), await ReceiveAsync(ws));
    }

    [Fact(Timeout = 30_000)]
    public async Task Over_max_connections_the_handshake_is_refused_with_503()
    {
        var bound = await StartNodeAsync(Ws("ws", "echo") with { MaxConnections = 1 });
        using var first = await ConnectAsync(bound["ws"]);
        await using (var raw = await RawWebSocket.ConnectAsync(bound["ws"]))
        {
            await raw.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            Assert.StartsWith("HTTP/1.1 503 ", Encoding.ASCII.GetString(await raw.ReadToEndAsync()));
        }

        await SendTextAsync(first, "first still served");
        Assert.Equal("first still served", (await ReceiveAsync(first)).Text);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stopping_the_node_closes_websocket_clients_with_1001()
    {
        var bound = await StartNodeAsync(Ws("ws", "echo"));
        using var ws = await ConnectAsync(bound["ws"]);
        await SendTextAsync(ws, "hi");
        Assert.Equal("hi", (await ReceiveAsync(ws)).Text);
        var stopping = ActorNetNode.StopAsync(Guardian, Timeout);
        var (type, _) = await ReceiveAsync(ws);
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, ws.CloseStatus); // 1001 going away
        using (var cts = new CancellationTokenSource(Timeout))
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
        await stopping;
    }
}
