using ActorNet.Faults;
using ActorNet.Testing;
using ActorNet.Transport;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>Kills over real sockets: survivors' streams stay intact (counted per client), crash keeps the socket,
/// killed upstreams and listeners recover.</summary>
[Collection(ActorNet.IntegrationTests.Support.SerialCollection.Name)]
public sealed class KillTests(ITestOutputHelper output)
{
    private const string EchoNode = """
        actornet {
          node.name = kill-test
          supervision.bind-backoff { min = 100ms, max = 1s }
          listeners {
            echo { transport = tcp, bind = "127.0.0.1:0", handler = echo, framing = line }
            other { transport = tcp, bind = "127.0.0.1:0", handler = echo, framing = line }
          }
        }
        """;

    [Fact(Timeout = 120_000)]
    public async Task Kills_in_every_mode_under_load_never_lose_duplicate_or_reorder_frames_of_survivors()
    {
        const int clients = 60, lines = 300;
        await using var node = await TestNode.StartAsync(EchoNode);
        var baseline = await node.TreeSizeAsync();
        var all = new List<CountingClient>();
        for (var i = 0; i < clients; i++) all.Add(await node.ConnectAsync("echo", "c" + i));

        var runs = all.Select(c => Task.Run(() => c.ExchangeAsync(lines, batch: 10, timeout: TimeSpan.FromSeconds(20)))).ToList();
        // kill once every client is well into its stream: 8 per mode
        await WaitUntil(() => all.All(c => c.Received >= 50 || c.Closed), TimeSpan.FromSeconds(30));
        var closed = all.Take(8).ToList();
        var reset = all.Skip(8).Take(8).ToList();
        var crashed = all.Skip(16).Take(8).ToList();
        foreach (var c in closed) Assert.True((await node.KillAsync(c, KillMode.Close)).Ok);
        foreach (var c in reset) Assert.True((await node.KillAsync(c, KillMode.Reset)).Ok);
        foreach (var c in crashed) Assert.True((await node.KillAsync(c, KillMode.Crash)).Ok);
        await Task.WhenAll(runs);

        var killed = closed.Concat(reset).ToHashSet();
        // a fast client may have finished its whole exchange just before its kill landed: then it sees the close only
        // when it reads again
        foreach (var c in killed.Where(c => !c.Closed)) await c.WaitForCloseAsync(TimeSpan.FromSeconds(10));
        foreach (var c in all)
        {
            output.WriteLine(c.ToString());
            if (killed.Contains(c))
            {
                Assert.True(c.Closed, $"{c.Name} was killed but is open");
                Assert.True(c.PrefixIntact, $"killed {c}: what came back must be an in-order prefix");
            }
            else
            {
                Assert.True(c.Intact && c.Sent == lines, $"survivor {c}");
            }
        }

        var metrics = node.Runtime.Metrics.For("echo");
        await WaitUntil(() => metrics.HandlerRestarts == 8, TimeSpan.FromSeconds(5));
        Assert.Equal(8, metrics.Kills(KillMode.Close));
        Assert.Equal(8, metrics.Kills(KillMode.Reset));
        Assert.Equal(8, metrics.Kills(KillMode.Crash));
        Assert.Equal(8, metrics.HandlerRestarts);

        foreach (var c in all) await c.DisposeAsync();
        Assert.True(await node.WaitForTreeSizeAsync(baseline, TimeSpan.FromSeconds(10)), "the tree returns to its baseline size");
        Assert.Equal(16, metrics.Closed(DisconnectReason.Killed));
    }

    [Fact(Timeout = 30_000)]
    public async Task Crash_restarts_the_handler_and_keeps_the_socket()
    {
        await using var node = await TestNode.StartAsync(EchoNode);
        await using var client = await node.ConnectAsync("echo");
        Assert.True(await client.ExchangeAsync(20));
        var id = await node.ConnectionIdOfAsync(client);

        Assert.True((await node.Control.KillConnectionAsync(id, KillMode.Crash)).Ok);
        Assert.True(await client.ExchangeAsync(20));
        Assert.True(client.Intact, client.ToString());
        Assert.True(node.Runtime.Connections.TryGet(id, out var entry), "same connection still open");
        await WaitUntil(() => entry.Stats.HandlerRestarts == 1, TimeSpan.FromSeconds(5));
        var handler = (await node.Control.TreeAsync()).Flatten().Single(n => n.Path.EndsWith($"c-{id}/handler", StringComparison.Ordinal));
        Assert.Equal(1, handler.Restarts);
    }

    [Fact(Timeout = 30_000)]
    public async Task Unknown_connection_and_bad_listener_kills_change_nothing()
    {
        await using var node = await TestNode.StartAsync(EchoNode);
        await using var client = await node.ConnectAsync("echo");
        Assert.True(await client.ExchangeAsync(5));

        Assert.Equal(ActorNet.Admin.AdminOutcome.NotFound, (await node.Control.KillConnectionAsync(999_999, KillMode.Close)).Outcome);
        Assert.Equal(ActorNet.Admin.AdminOutcome.NotFound, (await node.Control.KillListenerAsync("nope")).Outcome);
        Assert.Equal(ActorNet.Admin.AdminOutcome.NotFound, (await node.Control.KillLinkAsync("upstream-999999")).Outcome);
        Assert.True(await client.ExchangeAsync(5));
        Assert.True(client.Intact);
        Assert.Equal(0, node.Runtime.Metrics.For("echo").Kills(KillMode.Close));
    }

    [Fact(Timeout = 60_000)]
    public async Task Killed_listener_rebinds_on_its_port_within_backoff_while_other_listeners_do_not_notice()
    {
        await using var node = await TestNode.StartAsync(EchoNode);
        await using var bystander = await node.ConnectAsync("other");
        await using var victim = await node.ConnectAsync("echo");
        Assert.True(await victim.ExchangeAsync(5));
        var endpoint = node.Endpoint("echo");

        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                if (!await bystander.ExchangeAsync(5)) return;
        });

        var killedAt = DateTime.UtcNow;
        Assert.True((await node.Control.KillListenerAsync("echo")).Ok);
        Assert.True(await victim.WaitForCloseAsync(TimeSpan.FromSeconds(5)), "the killed listener's connections close");
        await WaitUntil(() => node.Runtime.Listeners.Single(l => l.Name == "echo").Endpoint is not null
                              && node.Runtime.Metrics.For("echo").BindRetries == 1, TimeSpan.FromSeconds(5));
        var rebound = DateTime.UtcNow - killedAt;
        output.WriteLine($"re-bound after {rebound.TotalMilliseconds:F0} ms (backoff 100 ms)");
        Assert.Equal(endpoint, node.Runtime.Listeners.Single(l => l.Name == "echo").Endpoint);

        await using var next = await node.ConnectAsync("echo");
        Assert.True(await next.ExchangeAsync(5), "the re-bound listener accepts again on the same port");

        await stop.CancelAsync();
        await traffic;
        Assert.True(bystander.Intact && bystander.Sent > 0, "the other listener's client never noticed: " + bystander);
    }

    [Fact(Timeout = 60_000)]
    public async Task Killed_forward_upstream_closes_the_client_cleanly_and_a_new_client_gets_a_new_upstream()
    {
        await using var upstream = await TestNode.StartAsync("""
            actornet.listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
            """);
        await using var proxy = await TestNode.StartAsync($$"""
            actornet.listeners.proxy {
              transport = tcp, bind = "127.0.0.1:0", handler = forward, framing = line
              upstream = "127.0.0.1:{{upstream.Endpoint("echo").Port}}"
            }
            """);
        await using var client = await proxy.ConnectAsync("proxy");
        Assert.True(await client.ExchangeAsync(10));
        var id = await proxy.ConnectionIdOfAsync(client);
        var link = proxy.Runtime.Links.Snapshot().Single();
        Assert.Equal($"upstream-{id}", link.Name);

        Assert.True((await proxy.Control.KillLinkAsync(link.Name)).Ok);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)), "the client is closed, not left hanging");
        Assert.True(client.PrefixIntact);

        await using var next = await proxy.ConnectAsync("proxy");
        Assert.True(await next.ExchangeAsync(10), "a new client gets a new upstream");
        // the killed link leaves the registry when its actor has stopped, which may trail the client's close
        await WaitUntil(() => proxy.Runtime.Links.Snapshot().All(l => l.Name != link.Name), TimeSpan.FromSeconds(5));
        var newLink = proxy.Runtime.Links.Snapshot().Single();
        Assert.NotEqual(link.Name, newLink.Name);
        await WaitUntil(() => proxy.Runtime.Metrics.For("proxy").Closed(DisconnectReason.UpstreamClosed) == 1, TimeSpan.FromSeconds(5));
    }

    internal static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within " + timeout);
            await Task.Delay(20);
        }
    }
}
