using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ActorNet.Admin;
using ActorNet.Faults;
using ActorNet.IntegrationTests.EndToEnd;
using ActorNet.Node.Admin;
using ActorNet.Node.Cli;
using ActorNet.Testing;
using Xunit;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>
/// The admin endpoint as an attacker meets it (issue 15, items 2 and 3): reads that reveal clients or topology need
/// the token, routes nobody declared are closed by default, a DNS-rebinding Host is refused, guessing tokens is
/// throttled, the read-only token cannot change anything, a generated token lands in a 0600 file that ctl finds,
/// and a non-loopback bind without a token never starts.
/// </summary>
public sealed class AdminSecurityTests : IAsyncLifetime
{
    private const string Token = "admin-security-token-0123456789";
    private const string ReadToken = "read-only-token-0123456789";
    private TestNode _node = null!;
    private AdminEndpoint _endpoint = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync("""
            actornet {
              node.name = admin-security
              listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
            }
            """);
        _endpoint = await AdminEndpoint.StartAsync(_node.System, _node.Settings,
            new AdminSettings(true, "127.0.0.1", 0, Token) { ReadToken = ReadToken },
            new Serilog.LoggerConfiguration().CreateLogger());
        _http = new HttpClient { BaseAddress = new Uri($"http://{_endpoint.Bound}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _endpoint.DisposeAsync();
        await _node.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> Send(HttpMethod method, string path, string? token = null, string? host = null, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (host is not null) request.Headers.Host = host;
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory(Timeout = 30_000)]
    [InlineData("/status")]
    [InlineData("/connections")]
    [InlineData("/links")]
    [InlineData("/tree")]
    [InlineData("/cluster")]
    [InlineData("/toxics")]
    [InlineData("/chaos")]
    [InlineData("/metrics")]
    [InlineData("/auth")]
    [InlineData("/no-such-route")]   // a route nobody declared: closed by default
    [InlineData("/web/../connections")]
    public async Task Every_read_that_reveals_the_node_needs_a_token(string path)
    {
        var (status, body) = await Send(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("error", body);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, path, token: "wrong-token")).Status);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, path, token: ReadToken)).Status);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, path, token: Token)).Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_event_stream_needs_a_token()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/events")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/events", token: "wrong-token")).Status);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("/")]
    [InlineData("/dashboard")]
    [InlineData("/chat")]
    [InlineData("/web/dashboard.js")]
    [InlineData("/config.json")]
    public async Task The_pages_stay_viewable_without_a_token(string path) =>
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, path)).Status);

    [Fact(Timeout = 30_000)]
    public async Task The_read_only_token_reads_but_cannot_change_anything()
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/connections", ReadToken)).Status);
        Assert.Contains("\"reader\"", (await Send(HttpMethod.Get, "/auth", ReadToken)).Body);
        Assert.Contains("\"admin\"", (await Send(HttpMethod.Get, "/auth", Token)).Body);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/chaos/start", ReadToken, body: "{}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/listeners/echo/kill", ReadToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(HttpMethod.Post, "/reload", ReadToken)).Status); // undeclared: admin only
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Post, "/reload")).Status);
        Assert.Equal("echo", _node.Runtime.Listeners.Single().Name);
        Assert.False((await _node.Control.ChaosStatusAsync()).Data is ChaosMonkey.Status { Running: true });
    }

    [Fact(Timeout = 30_000)]
    public async Task Reload_dry_run_with_a_config_in_the_body_says_what_it_would_change_and_applies_nothing()
    {
        var other = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["name"] = "other.conf",
            ["config"] = """
                actornet.node.name = admin-security
                actornet.listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
                actornet.listeners.more { transport = tcp, bind = "127.0.0.1:0", handler = echo }
                """,
        });
        var (status, body) = await Send(HttpMethod.Post, "/reload?dry-run=true", Token, body: other);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains("+ listener more", System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
        Assert.Equal("echo", _node.Runtime.Listeners.Single().Name); // compared, not applied

        var broken = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = "bad.conf", ["config"] = "actornet.listeners.x { handler = nope }" });
        (status, body) = await Send(HttpMethod.Post, "/reload?dry-run=true", Token, body: broken);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("bad.conf: actornet.listeners.x", body);

        (status, _) = await Send(HttpMethod.Post, "/reload", Token, body: other); // applying another file: no
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("evil.example")]
    [InlineData("evil.example:8080")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("localhost.evil.example")]
    public async Task A_dns_rebinding_host_is_refused_even_with_the_token(string host)
    {
        foreach (var path in new[] { "/", "/chat", "/connections", "/config.json" })
        {
            var (status, body) = await Send(HttpMethod.Get, path, Token, host);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("allowed-hosts", body);
        }

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/connections", Token, $"localhost:{_endpoint.Bound.Port}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/connections", Token, $"127.0.0.1:{_endpoint.Bound.Port}")).Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task Guessing_tokens_is_throttled_and_then_even_the_right_one_waits()
    {
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/auth", $"guess-{i}")).Status);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connections");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is set");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Send(HttpMethod.Post, "/chaos/stop", "guess-6")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/chat")).Status); // the pages stay up
    }

    [Fact(Timeout = 30_000)]
    public async Task A_generated_token_is_written_for_this_user_only_and_ctl_finds_it()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "state", "node.admin-token");
        var token = AdminTokenFile.Generate(file);
        Assert.True(token.Length >= 40);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        }

        Assert.NotEqual(token, AdminTokenFile.Generate(file)); // a fresh one each start
        token = AdminTokenFile.Read(file)!;
        await using var endpoint = await AdminEndpoint.StartAsync(_node.System, _node.Settings, new AdminSettings(true, "127.0.0.1", 0, token),
            new Serilog.LoggerConfiguration().CreateLogger());
        var config = Path.Combine(dir.Path, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            actornet {
              node.name = ctl-finds-it
              admin { enabled = true, bind = "127.0.0.1:{{endpoint.Bound.Port}}", token-file = "{{file}}" }
            }
            """);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Environment.SetEnvironmentVariable(AdminSettings.TokenEnvironmentVariable, null);
        var code = await NodeCli.RunAsync(["ctl", "connections", "--json", "--config", config], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(stdout.ToString()).RootElement.ValueKind);
    }

    [Theory]
    [InlineData("0.0.0.0:0")]
    [InlineData("[::]:0")]
    [InlineData("192.0.2.10:8080")]
    public void A_non_loopback_admin_without_a_token_is_refused_at_start_with_exit_2(string bind)
    {
        using var dir = new TempDirectory();
        var config = Path.Combine(dir.Path, "open.conf");
        File.WriteAllText(config, $$"""actornet { admin { enabled = true, bind = "{{bind}}" } }""");
        Environment.SetEnvironmentVariable(AdminSettings.TokenEnvironmentVariable, null);
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.InvalidConfig, NodeCli.Check(config, [], TextWriter.Null, stderr));
        Assert.Contains($"{config}: actornet.admin.token: required when actornet.admin.bind", stderr.ToString());
        Assert.Equal(ExitCodes.Ok, NodeCli.Check(config, ["actornet.admin.token=a-long-enough-token-123"], TextWriter.Null, TextWriter.Null));
    }
}
