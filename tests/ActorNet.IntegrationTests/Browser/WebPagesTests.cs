using System.Net;
using System.Text.Json;
using Xunit;

namespace ActorNet.IntegrationTests.Browser;

/// <summary>The admin endpoint serves the dashboard and chat pages, /config.json and the /auth token check.</summary>
public sealed class WebPagesTests : IAsyncLifetime
{
    private WebNode _web = null!;

    public async Task InitializeAsync() => _web = await WebNode.StartAsync();

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Theory(Timeout = 30_000)]
    [InlineData("/", "text/html", "dashboard.js")]
    [InlineData("/dashboard", "text/html", "dashboard.js")]
    [InlineData("/chat", "text/html", "chat.js")]
    [InlineData("/web/dashboard.js", "text/javascript", "/connections/")]
    [InlineData("/web/chat.js", "text/javascript", "text.ircv3.net")]
    [InlineData("/web/style.css", "text/css", ".authed-only")]
    public async Task Pages_are_served_with_their_content_type(string path, string type, string contains)
    {
        using var response = await _web.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Contains(contains, await response.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Pages_load_nothing_from_other_hosts()
    {
        foreach (var path in new[] { "/", "/chat" })
        {
            var html = await (await _web.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("http://", html);
            Assert.DoesNotContain("https://", html);
            Assert.DoesNotContain("//cdn", html);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Config_json_names_the_bound_websocket_irc_listener()
    {
        using var doc = JsonDocument.Parse(await _web.Http.GetStringAsync("/config.json"));
        Assert.Equal("web-test", doc.RootElement.GetProperty("node").GetString());
        Assert.Equal($"ws://127.0.0.1:{_web.Endpoint("web").Port}/", doc.RootElement.GetProperty("chatUrl").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task Auth_accepts_only_the_admin_token()
    {
        using (var ok = await _web.GetAsync("/auth", WebNode.Token)) Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var none = await _web.GetAsync("/auth")) Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        using var wrong = await _web.GetAsync("/auth", "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("invalid token", await wrong.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_a_configured_token_auth_always_refuses()
    {
        await using var web = await WebNode.StartAsync(token: null);
        using var response = await web.GetAsync("/auth", "anything");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid token", await response.Content.ReadAsStringAsync());
    }
}
