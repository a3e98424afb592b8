using ActorNet.Faults;
using ActorNet.Runtime;
using Xunit;
using static ActorNet.Core.Tests.Config.ConfigTestUtil;

namespace ActorNet.Core.Tests.Faults;

/// <summary>The toxics table's limit and per-connection clean-up, and their config keys (issue 15 item 7).</summary>
public sealed class FaultLimitsModelTests
{
    private static ToxicSpec Toxic(string name, long? connection = null) =>
        ToxicParser.Parse(connection is { } id
            ? new Dictionary<string, string> { ["name"] = name, ["type"] = "drop", ["connection"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["probability"] = "1" }
            : new Dictionary<string, string> { ["name"] = name, ["type"] = "drop", ["listener"] = "echo", ["probability"] = "1" }, out _)!;

    [Fact]
    public void The_table_refuses_past_its_limit_and_a_taken_name()
    {
        var table = new ToxicTable { Limit = 2 };
        Assert.Equal(ToxicAddResult.Added, table.Add(Toxic("a")));
        Assert.Equal(ToxicAddResult.NameTaken, table.Add(Toxic("a")));
        Assert.Equal(ToxicAddResult.Added, table.Add(Toxic("b")));
        Assert.Equal(ToxicAddResult.Full, table.Add(Toxic("c")));
        Assert.Equal(2, table.All.Count);
    }

    [Fact]
    public void A_closed_connection_takes_its_toxics_with_it()
    {
        // wired as NodeRuntime wires them (the integration test FaultLimitTests checks the node itself)
        var toxics = new ToxicTable();
        var connections = new ConnectionRegistry(id => toxics.RemoveConnection(id));
        toxics.Add(Toxic("on-7", 7));
        toxics.Add(Toxic("on-8", 8));
        toxics.Add(Toxic("listener"));
        connections.Add(new ConnectionEntry(Info(7), Akka.Actor.ActorRefs.Nobody, new ConnectionStats()));
        connections.Remove(7);
        Assert.Equal(["on-8", "listener"], toxics.All.Select(t => t.Name));
        Assert.Equal(0, toxics.RemoveConnection(7)); // already gone: nothing more happens
        Assert.Equal(2, toxics.All.Count);
    }

    private static ActorNet.Transport.ConnectionInfo Info(long id) =>
        new(id, "echo", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 1), new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 2), DateTimeOffset.UnixEpoch);

    [Fact]
    public void Limits_come_from_config()
    {
        var settings = LoadOk(Listener("""bind = "127.0.0.1:0", handler = echo""") + "\nactornet.faults { max-toxics = 5, chaos.max-events = 9 }");
        Assert.Equal(5, settings.FaultsOrDefault.MaxToxics);
        Assert.Equal(9, settings.FaultsOrDefault.Chaos.MaxEvents);
        Assert.Equal(100, LoadOk(Listener("""bind = "127.0.0.1:0", handler = echo""")).FaultsOrDefault.MaxToxics);
    }

    [Theory]
    [InlineData("max-toxics = 0", "actornet.faults.max-toxics", ">= 1")]
    [InlineData("chaos.max-events = -1", "actornet.faults.chaos.max-events", ">= 0")]
    [InlineData("max-toxics = 1\n toxics.a { listener = l, type = drop, probability = 1 }\n toxics.b { listener = l, type = drop, probability = 1 }",
        "actornet.faults.toxics", "more than max-toxics")]
    public void Bad_limits_fail_with_the_key(string faults, string path, string reason) =>
        LoadError(Listener("""bind = "127.0.0.1:0", handler = echo""") + "\nactornet.faults { " + faults + " }", path, reason);
}
