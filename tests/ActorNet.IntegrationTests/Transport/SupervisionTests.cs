using System.Net;
using ActorNet.Handlers;
using ActorNet.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;
using ActorNet.Node.Hosting;

namespace ActorNet.IntegrationTests.Transport;

/// <summary>A handler that greets on start, echoes, and throws on "crash".</summary>
public sealed class CrashyHandler : ConnectionHandler
{
    public CrashyHandler(HandlerContext context) : base(context)
    {
        Receive<FrameReceived>(frame =>
        {
            if (frame.Text == "crash") throw new InvalidOperationException("crash requested by the test");
            Send("echo:" + frame.Text);
        });
    }

    protected override void PreStart() => Send("ready");
}

public sealed class SupervisionTests(ITestOutputHelper output) : NodeTestKit(output)
{
    private static readonly string Crashy = typeof(CrashyHandler).AssemblyQualifiedName!;

    [Fact(Timeout = 30_000)]
    public async Task Handler_crash_restarts_the_handler_on_the_same_socket()
    {
        var bound = await StartNodeAsync(TestSettings.Node(TestSettings.Supervision(maxRestarts: 3), TestSettings.Listener("crashy", Crashy)));
        await using var client = await LineClient.ConnectAsync(bound["crashy"]);
        Assert.Equal("ready", await client.ReadLineAsync());

        await client.SendLineAsync("crash");
        Assert.Equal("ready", await client.ReadLineAsync()); // the restarted handler greets again, same socket
        await client.SendLineAsync("after");
        Assert.Equal("echo:after", await client.ReadLineAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Exhausted_restart_budget_closes_the_connection()
    {
        var bound = await StartNodeAsync(TestSettings.Node(TestSettings.Supervision(maxRestarts: 1), TestSettings.Listener("crashy", Crashy)));
        await using var client = await LineClient.ConnectAsync(bound["crashy"]);
        Assert.Equal("ready", await client.ReadLineAsync());

        await client.SendLineAsync("crash");
        Assert.Equal("ready", await client.ReadLineAsync());
        await client.SendLineAsync("crash");
        Assert.True(await client.WaitForCloseAsync(), "the second crash exceeds the budget of 1 restart");

        await using var next = await LineClient.ConnectAsync(bound["crashy"]);
        Assert.Equal("ready", await next.ReadLineAsync()); // the listener still serves new clients
    }

    [Fact(Timeout = 30_000)]
    public async Task Bind_on_a_taken_port_is_retried_and_succeeds_once_the_port_is_free()
    {
        var blocker = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;
        try
        {
            var settings = TestSettings.Node(null,
                TestSettings.Listener("blocked", "echo", port: port),
                TestSettings.Listener("free", "echo"));
            Guardian = ActorNetNode.Start(Sys, settings, NodeHandlers.Catalog);

            // the other listener serves while the blocked one retries
            var free = await AwaitBoundAsync("free");
            await using (var client = await LineClient.ConnectAsync(free))
            {
                await client.SendLineAsync("served");
                Assert.Equal("served", await client.ReadLineAsync());
            }

            Assert.False((await Bindings()).ContainsKey("blocked"));
        }
        finally
        {
            blocker.Stop();
        }

        var blocked = await AwaitBoundAsync("blocked");
        Assert.Equal(port, blocked.Port);
        await using var late = await LineClient.ConnectAsync(blocked);
        await late.SendLineAsync("finally");
        Assert.Equal("finally", await late.ReadLineAsync());
    }
}
