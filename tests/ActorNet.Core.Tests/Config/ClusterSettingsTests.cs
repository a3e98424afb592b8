using ActorNet.Config;
using Xunit;
using static ActorNet.Core.Tests.Config.ConfigTestUtil;

namespace ActorNet.Core.Tests.Config;

public sealed class ClusterSettingsTests
{
    private const string Cluster = """
        actornet.cluster {
          enabled = on
          name = "chat-net"
          port = 4053
          seed-nodes = ["127.0.0.1:4053", "127.0.0.1:4054"]
          roles = [edge, chat]
          min-members = 2
          down-after = 5s
          split-brain-resolver = keep-oldest
        }
        actornet.listeners.r { bind = "127.0.0.1:0", handler = broadcast, scope = cluster }
        """;

    [Fact]
    public void Cluster_section_maps_onto_akka_cluster_settings()
    {
        var settings = LoadOk(Cluster);
        Assert.True(settings.Cluster.Enabled);
        Assert.Equal("chat-net", settings.SystemName);
        var akka = settings.Config;
        Assert.Equal("cluster", akka.GetString("akka.actor.provider"));
        Assert.Equal(4053, akka.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["akka.tcp://chat-net@127.0.0.1:4053", "akka.tcp://chat-net@127.0.0.1:4054"], akka.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(["edge", "chat"], akka.GetStringList("akka.cluster.roles"));
        Assert.Equal(2, akka.GetInt("akka.cluster.min-nr-of-members"));
        Assert.Equal("keep-oldest", akka.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(TimeSpan.FromSeconds(5), akka.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.Equal(BroadcastScope.Cluster, settings.Listeners[0].Scope);
    }

    [Fact]
    public void The_files_own_akka_keys_win_over_the_cluster_section() =>
        Assert.Equal(4999, LoadOk(Cluster + "\nakka.remote.dot-netty.tcp.port = 4999").Config.GetInt("akka.remote.dot-netty.tcp.port"));

    [Fact]
    public void Loading_a_cluster_config_leaves_the_shared_reference_untouched()
    {
        LoadOk(Cluster);
        Assert.False(ConfigSource.Reference.HasPath("akka.actor.provider"));
        var plain = LoadOk("""actornet.listeners.e { bind = "127.0.0.1:0", handler = echo }""");
        Assert.False(plain.Config.HasPath("akka.actor.provider"));
        Assert.Equal("actornet", plain.SystemName);
    }

    [Theory]
    [InlineData("actornet.cluster { enabled = on }", "actornet.cluster.seed-nodes", "at least one seed")]
    [InlineData("actornet.cluster { enabled = on, seed-nodes = [\"nowhere\"] }", "actornet.cluster.seed-nodes[0]", "not \"host:port\"")]
    [InlineData("actornet.cluster { port = 70000 }", "actornet.cluster.port", "out of range")]
    [InlineData("actornet.cluster { min-members = 0 }", "actornet.cluster.min-members", "must be >= 1")]
    [InlineData("actornet.cluster { split-brain-resolver = coin-toss }", "actornet.cluster.split-brain-resolver", "unknown strategy")]
    [InlineData("actornet.cluster { name = \"-bad\" }", "actornet.cluster.name", "must start with a letter or digit")]
    [InlineData("actornet.cluster { seeds = [] }", "actornet.cluster.seeds", "unknown key")]
    [InlineData("actornet.listeners.r { bind = \"127.0.0.1:0\", handler = broadcast, scope = cluster }", "actornet.listeners.r.scope", "needs actornet.cluster.enabled")]
    [InlineData("actornet.listeners.r { bind = \"127.0.0.1:0\", handler = echo, scope = cluster }", "actornet.listeners.r.scope", "only for handler = broadcast")]
    [InlineData("actornet.listeners.r { bind = \"127.0.0.1:0\", handler = broadcast, scope = planet }", "actornet.listeners.r.scope", "unknown scope")]
    public void Cluster_errors_name_their_path(string hocon, string path, string reason)
    {
        var result = Load(hocon);
        Assert.False(result.Ok);
        Assert.Contains(result.Errors, e => e.Path == path && e.Reason.Contains(reason));
    }
}
