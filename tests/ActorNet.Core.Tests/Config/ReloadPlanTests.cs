using ActorNet.Config.Reload;
using Xunit;
using static ActorNet.Core.Tests.Config.ConfigTestUtil;

namespace ActorNet.Core.Tests.Config;

public sealed class ReloadPlanTests
{
    private const string Base = """
        actornet.node.name = n1
        actornet.listeners {
          echo { transport = tcp, bind = "127.0.0.1:7000", handler = echo }
          relay { transport = tcp, bind = "127.0.0.1:7001", handler = broadcast }
          udp { transport = udp, bind = "127.0.0.1:7002", handler = udp-relay }
        }
        actornet.chat.motd = "hello"
        """;

    private static ReloadPlan Plan(string next, string running = Base) => ReloadPlan.Compute(LoadOk(running), LoadOk(next));

    [Fact]
    public void The_same_file_changes_nothing()
    {
        var plan = Plan(Base);
        Assert.True(plan.Ok);
        Assert.True(plan.IsEmpty);
        Assert.Equal(["no changes"], plan.Describe());
    }

    [Fact]
    public void Added_and_removed_listeners()
    {
        var plan = Plan(Base.Replace("relay { transport = tcp, bind = \"127.0.0.1:7001\", handler = broadcast }",
            "more { transport = tcp, bind = \"127.0.0.1:7003\", handler = echo }"));
        Assert.Contains(new ListenerPlan("relay", ListenerChange.Removed, []), plan.Listeners, PlanComparer.Instance);
        Assert.Contains(new ListenerPlan("more", ListenerChange.Added, []), plan.Listeners, PlanComparer.Instance);
        Assert.Equal(2, plan.Listeners.Count);
    }

    [Fact]
    public void A_new_port_rebinds_and_a_new_limit_is_taken_in_place()
    {
        var plan = Plan(Base.Replace("127.0.0.1:7000", "127.0.0.1:7100")
            .Replace("handler = broadcast }", "handler = broadcast, max-connections = 5, idle-timeout = 30s }"));
        var echo = Assert.Single(plan.Listeners, l => l.Name == "echo");
        Assert.Equal(ListenerChange.Rebound, echo.Change);
        Assert.Equal(["bind"], echo.Keys);
        var relay = Assert.Single(plan.Listeners, l => l.Name == "relay");
        Assert.Equal(ListenerChange.InPlace, relay.Change);
        Assert.Equal(["max-connections", "idle-timeout"], relay.Keys);
    }

    [Fact]
    public void Any_change_to_a_udp_listener_rebinds_it()
    {
        var plan = Plan(Base.Replace("handler = udp-relay }", "handler = udp-relay, peer-ttl = 5s }"));
        Assert.Equal(new ListenerPlan("udp", ListenerChange.Rebound, ["peer-ttl"]), Assert.Single(plan.Listeners), PlanComparer.Instance);
    }

    [Fact]
    public void Chat_settings_are_a_section_change()
    {
        var plan = Plan(Base.Replace("\"hello\"", "\"hello again\""));
        Assert.True(plan.Ok);
        Assert.Empty(plan.Listeners);
        Assert.Equal(["actornet.chat"], plan.Sections);
        Assert.Contains("MOTD", Assert.Single(plan.Describe()));
    }

    [Theory]
    [InlineData("actornet.node.name = n2", "actornet.node.name")]
    [InlineData("actornet.chat.casemapping = ascii", "actornet.chat.casemapping")]
    [InlineData("actornet.admin.bind = \"127.0.0.1:9999\"", "actornet.admin")]
    [InlineData("akka.actor.serialize-messages = on", "akka")]
    [InlineData("actornet.cluster { enabled = on, seed-nodes = [\"127.0.0.1:2551\"], port = 2551 }", "actornet.cluster")]
    public void Keys_that_cannot_change_at_run_time_are_refused(string edit, string path)
    {
        var plan = Plan(Base + "\n" + edit);
        Assert.False(plan.Ok);
        var refused = plan.Refused.First(); // a cluster edit also changes the akka settings it stands for
        Assert.Equal(path, refused.Path);
        Assert.Contains("restart the node", refused.Reason);
        Assert.StartsWith("refused: " + path, plan.Describe()[0]);
    }

    private sealed class PlanComparer : IEqualityComparer<ListenerPlan>
    {
        public static readonly PlanComparer Instance = new();

        public bool Equals(ListenerPlan? x, ListenerPlan? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Change == y.Change && x.Keys.SequenceEqual(y.Keys);

        public int GetHashCode(ListenerPlan obj) => obj.Name.GetHashCode();
    }
}
