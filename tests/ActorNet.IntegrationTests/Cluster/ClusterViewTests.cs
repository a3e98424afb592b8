using ActorNet.Admin;
using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>GET /cluster's data: members with status, roles, reachability, and each node's open connections.</summary>
public sealed class ClusterViewTests
{
    private const string Echo = """echo { bind = "127.0.0.1:0", handler = echo }""";

    [Fact(Timeout = 90_000)]
    public async Task Cluster_view_lists_every_member_with_its_connection_count()
    {
        var seed = FreePort.Next();
        await using var a = await ClusterNode.StartAsync(ClusterNode.Config("node-a", seed, seed, Echo));
        await using var b = await ClusterNode.StartAsync(ClusterNode.Config("node-b", 0, seed, Echo));
        await a.AwaitMembersUpAsync(2, TimeSpan.FromSeconds(30));
        await using var client = await LineClient.ConnectAsync(b.Bound["echo"]);
        await client.SendLineAsync("hi");
        Assert.Equal("hi", await client.ReadLineAsync());

        var control = new NodeControl(a.System);
        ClusterViewData view;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        do
        {
            view = await control.ClusterAsync();
            if (view.Members.Any(m => m.Node == "node-b" && m.Connections == 1) && view.Members.Any(m => m.Node == "node-a")) break;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.True(view.Enabled);
        Assert.Equal(2, view.Members.Count);
        Assert.All(view.Members, m => Assert.Equal(("Up", true), (m.Status, m.Reachable)));
        Assert.Equal(1, view.Members.Single(m => m.Node == "node-b").Connections);
        Assert.Equal(0, view.Members.Single(m => m.Node == "node-a").Connections);
        Assert.Equal(a.Cluster.SelfAddress.ToString(), view.Self);
    }

    [Fact]
    public async Task A_single_node_says_it_is_not_clustered()
    {
        using var system = Akka.Actor.ActorSystem.Create("solo", "akka.loglevel = WARNING");
        Assert.False((await ClusterView.DescribeAsync(system, TimeSpan.FromSeconds(1))).Enabled);
    }
}
