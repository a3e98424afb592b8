using System.Net;
using System.Net.Http.Headers;
using ActorNet.Admin;
using ActorNet.Node.Admin;
using ActorNet.Node.Hosting;
using ActorNet.Testing;

namespace ActorNet.IntegrationTests.Browser;

/// <summary>An in-process node with an IRC chat on TCP and WebSocket, an echo listener, and the admin endpoint.</summary>
internal sealed class WebNode : IAsyncDisposable
{
    public const string Token = "web-test-token-0123456789";

    private WebNode(TestNode node, AdminEndpoint admin)
    {
        Node = node;
        Admin = admin;
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(10) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        _anonymous = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(10) };
    }

    private readonly HttpClient _anonymous;

    public TestNode Node { get; }

    public AdminEndpoint Admin { get; }

    /// <summary>A client of the admin endpoint that sends the admin token (<see cref="GetAsync"/> sends none unless told).</summary>
    public HttpClient Http { get; }

    /// <summary>http://host:port of the admin endpoint (no trailing slash).</summary>
    public string Url => $"http://{Admin.Bound}";

    public IPEndPoint Endpoint(string listener) => Node.Endpoint(listener);

    public static async Task<WebNode> StartAsync(string? token = Token)
    {
        var node = await TestNode.StartAsync("""
            actornet {
              node.name = web-test
              listeners {
                chat { transport = tcp, bind = "127.0.0.1:0", handler = irc, line-ending = crlf, max-frame-bytes = 8704 }
                web { transport = websocket, bind = "127.0.0.1:0", handler = irc, max-frame-bytes = 8704 }
                echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
              }
              chat { server-name = irc.test, network-name = TestNet, motd = "hello web" }
            }
            """, catalog: NodeHandlers.Catalog);
        try
        {
            var admin = await AdminEndpoint.StartAsync(node.System, node.Settings, new AdminSettings(true, "127.0.0.1", 0, token),
                new Serilog.LoggerConfiguration().CreateLogger());
            return new WebNode(node, admin);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET <paramref name="path"/>, with the bearer token when given.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await _anonymous.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _anonymous.Dispose();
        await Admin.DisposeAsync();
        await Node.DisposeAsync();
    }
}
