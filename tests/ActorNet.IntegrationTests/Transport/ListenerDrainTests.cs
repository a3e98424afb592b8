using ActorNet.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

/// <summary>Stopping the node closes connections gracefully before the socket is unbound (no reset).</summary>
public sealed class ListenerDrainTests(ITestOutputHelper output) : NodeTestKit(output)
{
    [Fact(Timeout = 30_000)]
    public async Task Stopping_the_node_tells_line_clients_why_then_closes_them()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("echo", "echo"));
        await using var client = await LineClient.ConnectAsync(bound["echo"]);
        await client.SendLineAsync("hi");
        Assert.Equal("hi", await client.ReadLineAsync());
        var stopping = ActorNetNode.StopAsync(Guardian, TimeSpan.FromSeconds(10));
        Assert.Equal("error: server shutting down", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
        await stopping;
    }
}
