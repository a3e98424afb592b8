using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ActorNet.Admin;
using ActorNet.IntegrationTests.Chat;
using ActorNet.Node.Admin;
using ActorNet.Node.Hosting;
using ActorNet.Runtime;
using ActorNet.Testing;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>POST /tree/crash and GET /events against an in-process node with echo, relay and chat listeners.</summary>
public sealed class CrashByPathTests : IAsyncLifetime
{
    private const string Token = "crash-token";
    private TestNode _node = null!;
    private AdminEndpoint _endpoint = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync("""
            actornet {
              node.name = crash-test
              listeners {
                echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
                relay { transport = tcp, bind = "127.0.0.1:0", handler = broadcast }
                chat { transport = tcp, bind = "127.0.0.1:0", handler = irc, line-ending = crlf, max-frame-bytes = 8704 }
              }
              chat.flood { burst = 1000, per-second = 1000 }
            }
            """, catalog: NodeHandlers.Catalog);
        _endpoint = await AdminEndpoint.StartAsync(_node.System, _node.Settings, new AdminSettings(true, "127.0.0.1", 0, Token),
            new Serilog.LoggerConfiguration().CreateLogger());
        _http = new HttpClient { BaseAddress = new Uri($"http://{_endpoint.Bound}"), Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _endpoint.DisposeAsync();
        await _node.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> CrashAsync(string path, bool withToken = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tree/crash")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { path }), Encoding.UTF8, "application/json"),
        };
        if (!withToken) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Crash_needs_the_token_and_a_path_under_the_node()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await CrashAsync("/user/actornet/faults", withToken: false)).Status);
        var outside = await CrashAsync("/system/log1-SerilogLogger");
        Assert.Equal(HttpStatusCode.BadRequest, outside.Status);
        Assert.Contains("outside /user/actornet", outside.Body);
        Assert.Equal(HttpStatusCode.BadRequest, (await CrashAsync("/user/actornet")).Status);
        var unknown = await CrashAsync("/user/actornet/services/nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("no actor at /user/actornet/services/nope", unknown.Body);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_crashed_handler_restarts_on_its_socket()
    {
        await using var client = await _node.ConnectAsync("echo");
        Assert.True(await client.ExchangeAsync(3));
        var id = await _node.ConnectionIdOfAsync(client);
        var crashed = await CrashAsync($"/user/actornet/listeners/echo/c-{id}/handler");
        Assert.Equal(HttpStatusCode.OK, crashed.Status);
        Assert.True(_node.Runtime.Connections.TryGet(id, out var entry));
        await AwaitAsync(() => entry.Stats.HandlerRestarts == 1);
        Assert.True(await client.ExchangeAsync(3), "the socket stayed and the new handler echoes");
        Assert.False(client.Closed);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("/user/actornet/services/chat")]
    [InlineData("/user/actornet/services/broadcast-relay")]
    [InlineData("/user/actornet/listeners/echo")]
    [InlineData("/user/actornet/faults")]
    [InlineData("/user/actornet/faults/chaos")]
    [InlineData("/user/actornet/admin")]
    public async Task Services_listeners_and_the_fault_injector_crash_and_the_tree_returns(string path)
    {
        await using var irc = await IrcClient.RegisteredAsync(_node.Endpoint("chat"), "alice");
        await using var before = await _node.ConnectAsync("echo"); // open across the crash: must keep its socket
        Assert.True(await before.ExchangeAsync(2));
        var baseline = await _node.TreeSizeAsync();
        var (ready, failed) = NodeEvents.Get(_node.System).Subscribe()
            .Where(e => e is ActorFailed f && f.Path == path)
            .ToMaterialized(Sink.First<NodeEvent>(), Keep.Both)
            .Run(_node.System.Materializer());
        await ready.WaitAsync(TimeSpan.FromSeconds(5));
        var crashed = await CrashAsync(path);
        Assert.Equal(HttpStatusCode.OK, crashed.Status);
        var decision = (ActorFailed)await failed.WaitAsync(TimeSpan.FromSeconds(5)); // its supervisor decided
        // a listener resumes (a restart would restart its connections and lose their sessions); services restart
        Assert.Equal(path.EndsWith("/echo", StringComparison.Ordinal) ? "resume" : "restart", decision.Directive);
        Assert.True(_node.Runtime.Listeners.All(l => l.Endpoint is not null));
        Assert.True(await _node.WaitForTreeSizeAsync(baseline, TimeSpan.FromSeconds(10)), "the tree returns to its size");
        await irc.SendAsync("PING :still-here");
        await irc.ExpectAsync("still-here");
        Assert.True(await before.ExchangeAsync(2), "a connection open before the crash still echoes");
        Assert.False(before.Closed);
        await using var echo = await _node.ConnectAsync("echo"); // and the listener still accepts
        Assert.True(await echo.ExchangeAsync(2));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_crashed_connection_actor_closes_that_one_socket_and_is_not_restarted()
    {
        await using var victim = await _node.ConnectAsync("echo");
        await using var bystander = await _node.ConnectAsync("echo");
        Assert.True(await victim.ExchangeAsync(2) && await bystander.ExchangeAsync(2));
        var id = await _node.ConnectionIdOfAsync(victim);
        var crashed = await CrashAsync($"/user/actornet/listeners/echo/c-{id}");
        Assert.Equal(HttpStatusCode.OK, crashed.Status);
        await AwaitAsync(() => !_node.Runtime.Connections.TryGet(id, out _)); // stopped: its buffers cannot be rebuilt
        Assert.False(await victim.ExchangeAsync(1), "the crashed connection's socket is closed");
        Assert.True(await bystander.ExchangeAsync(2), "the other connection of the listener is untouched");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_kill_and_its_effects_appear_as_events_in_causal_order()
    {
        await using var client = await _node.ConnectAsync("echo");
        var id = await _node.ConnectionIdOfAsync(client);
        using var events = new HttpClient { BaseAddress = _http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        events.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await events.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith(":", await reader.ReadLineAsync()); // the stream is live

        Assert.True((await _node.Control.KillConnectionAsync(id, ActorNet.Faults.KillMode.Crash)).Ok);
        var crash = await NextAsync(reader, "killed");
        Assert.Contains($"connection {id}", crash);
        Assert.Contains($"/c-{id}/handler", await NextAsync(reader, "actor-failed"));
        Assert.True((await _node.Control.KillConnectionAsync(id, ActorNet.Faults.KillMode.Close)).Ok);
        Assert.Contains("\"reason\":\"Killed\"", await NextAsync(reader, "connection-closed"));

        using var unauthorized = new HttpClient { BaseAddress = _http.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await unauthorized.GetAsync("/events")).StatusCode);
    }

    /// <summary>The data of the next event named <paramref name="kind"/> (events of other kinds before it are skipped:
    /// an effect published before its cause would be missed), bounded at 5 s for a loaded machine.</summary>
    private static async Task<string> NextAsync(StreamReader reader, string kind)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        string? name = null;
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == kind) return line[6..];
        }

        throw new EndOfStreamException("the event stream ended");
    }

    private static async Task AwaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
