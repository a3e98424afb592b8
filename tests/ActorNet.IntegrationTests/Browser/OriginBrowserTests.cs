using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.Browser;

/// <summary>
/// Cross-site WebSocket hijacking (issue 15, item 1) decided by a real browser: headless Chromium opens a page from
/// another origin (a second HTTP server on another port, standing in for any web site the operator visits) and
/// tries <c>new WebSocket("ws://127.0.0.1:PORT/")</c> to the chat; the node answers 403 and no session starts. The
/// same script on a page the node serves itself (the admin endpoint's origin) connects.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class OriginBrowserTests : IAsyncLifetime
{
    private WebNode _web = null!;
    private Chromium _browser = null!;

    public async Task InitializeAsync()
    {
        _web = await WebNode.StartAsync();
        _browser = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _web.DisposeAsync();
    }

    /// <summary>Opens a WebSocket from the page and reports 'open' or 'closed CODE' (a refused handshake: 1006).</summary>
    private static string TryOpen(string url) => $$"""
        new Promise((resolve) => {
          const ws = new WebSocket({{System.Text.Json.JsonSerializer.Serialize(url)}}, ['text.ircv3.net']);
          ws.onopen = () => { resolve('open'); ws.close(); };
          ws.onclose = (e) => resolve('closed ' + e.code);
          setTimeout(() => resolve('timeout'), 10000);
        })
        """;

    [Fact(Timeout = 60_000)]
    public async Task A_page_from_another_origin_cannot_open_the_chat_socket_and_a_page_the_node_serves_can()
    {
        var chat = $"ws://127.0.0.1:{_web.Endpoint("web").Port}/";
        await using var evil = await OtherSite.StartAsync();

        var own = await _browser.NewPageAsync($"{_web.Url}/chat");
        await own.WaitForAsync($"document.readyState === 'complete' && location.origin === {System.Text.Json.JsonSerializer.Serialize(_web.Url)}");
        Assert.Equal("open", (await own.EvalAsync(TryOpen(chat)))!.GetValue<string>());

        var attacker = await _browser.NewPageAsync(evil.Url);
        await attacker.WaitForAsync("document.readyState === 'complete' && document.title === 'another site'");
        Assert.Equal(evil.Url.TrimEnd('/'), (await attacker.EvalAsync("location.origin"))!.GetValue<string>());
        Assert.Equal("closed 1006", (await attacker.EvalAsync(TryOpen(chat)))!.GetValue<string>());
        Assert.DoesNotContain(_web.Node.Runtime.Connections.Snapshot(), c => c.Info.Listener == "web" && c.Stats.FramesIn > 0);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_handshake_with_a_foreign_origin_gets_403_and_one_from_the_web_chat_or_without_origin_gets_101()
    {
        Assert.StartsWith("HTTP/1.1 403 Forbidden", await HandshakeAsync("http://evil.example"));
        Assert.StartsWith("HTTP/1.1 403 Forbidden", await HandshakeAsync("null"));
        Assert.StartsWith("HTTP/1.1 101 ", await HandshakeAsync(_web.Url));
        Assert.StartsWith("HTTP/1.1 101 ", await HandshakeAsync(null));
    }

    private async Task<string> HandshakeAsync(string? origin)
    {
        await using var ws = await RawWebSocket.ConnectAsync(_web.Endpoint("web"));
        await ws.SendAsync(Encoding.ASCII.GetBytes(
            $"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{(origin is null ? "" : $"Origin: {origin}\r\n")}Upgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        return await ws.ReadHeadAsync();
    }

    /// <summary>A one-page HTTP server on its own port: a different origin from everything the node serves.</summary>
    private sealed class OtherSite : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private OtherSite(TcpListener listener)
        {
            _listener = listener;
            _loop = Task.Run(ServeAsync);
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";

        public static Task<OtherSite> StartAsync()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new OtherSite(listener));
        }

        private async Task ServeAsync()
        {
            var body = Encoding.UTF8.GetBytes("<!doctype html><html><head><title>another site</title></head><body>not the node</body></html>");
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _ = Task.Run(() => AnswerAsync(client, body)); // browsers also open idle preconnections
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
            }
        }

        private async Task AnswerAsync(TcpClient client, byte[] body)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var head = new StringBuilder();
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await stream.ReadAsync(buffer, _stop.Token);
                        if (n == 0) return;
                        head.Append(Encoding.Latin1.GetString(buffer, 0, n));
                    }

                    var response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(response, _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
                {
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop.ContinueWith(_ => { });
            _stop.Dispose();
        }
    }
}
