using ActorNet.Faults;
using ActorNet.Testing;
using Xunit;

namespace ActorNet.IntegrationTests.Faults;

public sealed class ReadmeFaultGuideTests
{
    [Fact(Timeout = 60_000)]
    public async Task Survivors_keep_every_message_when_connections_are_killed()
    {
        await using var node = await TestNode.StartAsync("""
            actornet.listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
            """);
        var clients = new List<CountingClient>();
        for (var i = 0; i < 20; i++) clients.Add(await node.ConnectAsync("echo", "client" + i));
        foreach (var c in clients) Assert.True(await c.ExchangeAsync(50));

        await node.KillAsync(clients[0], KillMode.Reset);   // TCP reset
        await node.KillAsync(clients[1], KillMode.Close);   // graceful close
        await node.KillAsync(clients[2], KillMode.Crash);   // handler crash: the socket stays open
        await node.AddToxicAsync("lag", new Dictionary<string, string>
        {
            ["type"] = "latency", ["listener"] = "echo", ["latency"] = "20ms",
        });

        foreach (var c in clients.Skip(2)) Assert.True(await c.ExchangeAsync(50), c.ToString());
        Assert.All(clients.Skip(2), c => Assert.True(c.Intact, c.ToString()));   // sent == received, in order
        Assert.True(await clients[0].WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clients[0].PrefixIntact);
    }
}
