using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ActorNet.Admin;
using ActorNet.Faults;
using ActorNet.Node.Admin;
using ActorNet.Node.Cli;
using ActorNet.Testing;
using Xunit;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>The HTTP admin endpoint and <c>actornet ctl</c> against an in-process node.</summary>
public sealed class AdminEndpointTests : IAsyncLifetime
{
    private const string Token = "test-token-0123456789";
    private TestNode _node = null!;
    private AdminEndpoint _endpoint = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync("""
            actornet {
              node.name = admin-test
              listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
            }
            """);
        _endpoint = await AdminEndpoint.StartAsync(_node.System, _node.Settings, new AdminSettings(true, "127.0.0.1", 0, Token),
            new Serilog.LoggerConfiguration().CreateLogger());
        _http = new HttpClient { BaseAddress = new Uri($"http://{_endpoint.Bound}"), Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token); // every admin call needs it
        _anon = new HttpClient { BaseAddress = new Uri($"http://{_endpoint.Bound}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    private HttpClient _anon = null!;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _anon.Dispose();
        await _endpoint.DisposeAsync();
        await _node.DisposeAsync();
    }

    private string Url => $"http://{_endpoint.Bound}";

    [Fact(Timeout = 30_000)]
    public async Task Read_calls_show_status_connections_tree_and_metrics()
    {
        await using var client = await _node.ConnectAsync("echo");
        Assert.True(await client.ExchangeAsync(3));
        var id = await _node.ConnectionIdOfAsync(client);

        using var status = JsonDocument.Parse(await _http.GetStringAsync("/status"));
        Assert.Equal("admin-test", status.RootElement.GetProperty("node").GetString());
        var listener = status.RootElement.GetProperty("listeners").EnumerateArray().Single();
        Assert.Equal(_node.Endpoint("echo").ToString(), listener.GetProperty("endpoint").GetString());
        Assert.Equal(1, listener.GetProperty("connections").GetInt64());

        using var connections = JsonDocument.Parse(await _http.GetStringAsync("/connections"));
        var c = connections.RootElement.EnumerateArray().Single();
        Assert.Equal(id, c.GetProperty("id").GetInt64());
        Assert.Equal(3, c.GetProperty("framesIn").GetInt64());
        Assert.Equal(3, c.GetProperty("framesOut").GetInt64());
        Assert.Equal(client.LocalEndpoint.ToString(), c.GetProperty("remote").GetString());

        using var tree = JsonDocument.Parse(await _http.GetStringAsync("/tree"));
        var paths = Paths(tree.RootElement.GetProperty("data")).ToList();
        Assert.Contains("/user/actornet/admin", paths);
        Assert.Contains("/user/actornet/faults/chaos", paths);
        Assert.Contains($"/user/actornet/listeners/echo/c-{id}/handler", paths);

        var metrics = await _http.GetAsync("/metrics");
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType!.ToString());
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("actornet_connections_open{listener=\"echo\"} 1", text);
        Assert.Contains("actornet_frames_in_total{listener=\"echo\"} 3", text);
    }

    [Fact(Timeout = 30_000)]
    public async Task Bad_requests_get_4xx_with_a_reason_and_change_nothing()
    {
        await using var client = await _node.ConnectAsync("echo");
        Assert.True(await client.ExchangeAsync(3));
        var id = await _node.ConnectionIdOfAsync(client);

        await Expect(HttpStatusCode.Unauthorized, HttpMethod.Post, $"/connections/{id}/kill", token: null);
        await Expect(HttpStatusCode.Unauthorized, HttpMethod.Post, $"/connections/{id}/kill", token: "wrong");
        await Expect(HttpStatusCode.Unauthorized, HttpMethod.Post, "/listeners/echo/kill", token: null);
        await Expect(HttpStatusCode.Unauthorized, HttpMethod.Post, "/chaos/start", token: null);
        await Expect(HttpStatusCode.BadRequest, HttpMethod.Post, $"/connections/{id}/kill?mode=explode");
        await Expect(HttpStatusCode.BadRequest, HttpMethod.Post, "/connections/abc/kill");
        await Expect(HttpStatusCode.NotFound, HttpMethod.Post, "/connections/999999/kill");
        await Expect(HttpStatusCode.NotFound, HttpMethod.Post, "/listeners/ghost/kill");
        await Expect(HttpStatusCode.NotFound, HttpMethod.Post, "/links/upstream-1/kill");
        await Expect(HttpStatusCode.BadRequest, HttpMethod.Post, "/toxics", body: "{not json");
        await Expect(HttpStatusCode.BadRequest, HttpMethod.Post, "/toxics", body: """{"name":"t","type":"sideways","listener":"echo"}""");
        await Expect(HttpStatusCode.NotFound, HttpMethod.Post, "/toxics", body: """{"name":"t","type":"drop","listener":"ghost","probability":1}""");
        await Expect(HttpStatusCode.NotFound, HttpMethod.Delete, "/toxics/none");
        await Expect(HttpStatusCode.BadRequest, HttpMethod.Post, "/chaos/start", body: """{"modes":"explode"}""");

        Assert.True(await client.ExchangeAsync(3), "the connection was not touched");
        Assert.True(client.Intact);
        Assert.Empty(_node.Runtime.Toxics.All);
        Assert.All(Enum.GetValues<KillMode>(), m => Assert.Equal(0, _node.Runtime.Metrics.For("echo").Kills(m)));
        Assert.False((await _node.Control.ChaosStatusAsync()).Data is ChaosMonkey.Status { Running: true });
    }

    [Fact(Timeout = 30_000)]
    public async Task Authorized_kill_and_toxic_calls_act()
    {
        await using var client = await _node.ConnectAsync("echo");
        Assert.True(await client.ExchangeAsync(3));
        var id = await _node.ConnectionIdOfAsync(client);

        await Expect(HttpStatusCode.OK, HttpMethod.Post, "/toxics", body: """{"name":"slow","type":"latency","listener":"echo","latency":"10ms"}""");
        await Expect(HttpStatusCode.Conflict, HttpMethod.Post, "/toxics", body: """{"name":"slow","type":"latency","listener":"echo","latency":"10ms"}""");
        Assert.Contains("\"slow\"", await _http.GetStringAsync("/toxics"));
        await Expect(HttpStatusCode.OK, HttpMethod.Delete, "/toxics/slow");

        await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/connections/{id}/kill?mode=reset");
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, _node.Runtime.Metrics.For("echo").Kills(KillMode.Reset));
    }

    [Fact(Timeout = 60_000)]
    public async Task Ctl_prints_tables_and_json_and_fails_clearly()
    {
        await using var client = await _node.ConnectAsync("echo");
        Assert.True(await client.ExchangeAsync(2));
        var id = await _node.ConnectionIdOfAsync(client);

        var (code, output, _) = await Ctl("status");
        Assert.Equal(0, code);
        Assert.Contains("admin-test", output);
        Assert.Matches(@"echo\s+tcp\s+127\.0\.0\.1:\d+\s+1", output);

        (code, output, _) = await Ctl("connections", "--json");
        Assert.Equal(0, code);
        Assert.Equal(id, JsonDocument.Parse(output).RootElement[0].GetProperty("id").GetInt64());

        (code, output, _) = await Ctl("tree");
        Assert.Equal(0, code);
        Assert.Contains($"c-{id}  [Connection]", output);

        (code, _, var error) = await Ctl("kill", id.ToString(), "--token", "wrong");
        Assert.Equal(1, code);
        Assert.Contains("unauthorized", error);

        (code, output, _) = await Ctl("toxic", "add", "lag", "type=latency", "listener=echo", "latency=5ms", "--token", Token);
        Assert.Equal(0, code);
        (code, output, _) = await Ctl("toxic", "list");
        Assert.Matches(@"lag\s+latency\s+downstream\s+listener echo\s+latency=5ms", output);
        (code, _, _) = await Ctl("toxic", "remove", "lag", "--token", Token);
        Assert.Equal(0, code);

        (code, output, _) = await Ctl("chaos", "start", "--seed", "7", "--probability", "0", "--token", Token);
        Assert.Equal(0, code);
        Assert.Contains("seed 7", output);
        (code, _, _) = await Ctl("chaos", "stop", "--token", Token);
        Assert.Equal(0, code);

        (code, output, _) = await Ctl("kill", id.ToString(), "--mode", "close", "--token", Token);
        Assert.Equal(0, code);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        code = await NodeCli.RunAsync(["ctl", "status", "--endpoint", "http://127.0.0.1:1"], stdout, stderr);
        Assert.Equal(1, code);
        Assert.Contains("cannot reach the admin endpoint", stderr.ToString());
    }

    private async Task<(int Code, string Output, string Error)> Ctl(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] token = args.Contains("--token") ? [] : ["--token", Token];
        var code = await NodeCli.RunAsync(["ctl", .. args, "--endpoint", Url, .. token], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task Expect(HttpStatusCode expected, HttpMethod method, string path, string? token = Token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _anon.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {expected}, got {response.StatusCode}: {text}");
        if ((int)expected >= 400)
            Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()));
    }

    private static IEnumerable<string> Paths(JsonElement node) =>
        node.GetProperty("children").EnumerateArray().SelectMany(Paths).Prepend(node.GetProperty("path").GetString()!);
}
