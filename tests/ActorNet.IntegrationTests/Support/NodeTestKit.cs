using System.Net;
using ActorNet.Config;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;
using ActorNet.Node.Hosting;

namespace ActorNet.IntegrationTests.Support;

/// <summary>A TestKit whose ActorSystem runs an ActorNet node on ephemeral loopback ports.</summary>
public abstract class NodeTestKit : TestKit
{
    public const string TestConfig = """
        akka.loglevel = INFO
        akka.stdout-loglevel = INFO
        akka.actor.debug.unhandled = off
        """;

    /// <summary>The test settings over ActorNet's reference config, so the node under test runs with the akka settings
    /// it ships with (Akka.IO buffers, compact mailbox, fork-join default dispatcher), not Akka's defaults.</summary>
    public static Akka.Configuration.Config NodeConfig(string hocon = TestConfig) =>
        ConfigSource.WithReference(Akka.Configuration.ConfigurationFactory.ParseString(hocon));

    protected NodeTestKit(ITestOutputHelper output) : base(NodeConfig(), output: output)
    {
    }

    protected IActorRef Guardian { get; set; } = ActorRefs.Nobody;

    /// <summary>Starts the node and waits until every listener is bound; returns the bound endpoints by name.</summary>
    protected async Task<IReadOnlyDictionary<string, IPEndPoint>> StartNodeAsync(NodeSettings settings)
    {
        Guardian = ActorNetNode.Start(Sys, settings, NodeHandlers.Catalog);
        var bound = await ActorNetNode.WaitForBindingsAsync(Guardian, settings, TimeSpan.FromSeconds(10));
        return bound.ToDictionary(b => b.Key, b => (IPEndPoint)b.Value);
    }

    protected Task<IReadOnlyDictionary<string, IPEndPoint>> StartNodeAsync(params ListenerSettings[] listeners) =>
        StartNodeAsync(TestSettings.Node(null, listeners));

    /// <summary>The listeners bound right now, by name.</summary>
    protected async Task<IReadOnlyDictionary<string, IPEndPoint>> Bindings()
    {
        var bindings = await Guardian.Ask<ActorNet.Supervision.ListenerSupervisor.Bindings>(
            ActorNet.Supervision.ListenerSupervisor.GetBindings.Instance, TimeSpan.FromSeconds(5));
        return bindings.Bound.ToDictionary(b => b.Key, b => (IPEndPoint)b.Value.Endpoint);
    }

    /// <summary>Waits (bounded) until the named listener is bound.</summary>
    protected async Task<IPEndPoint> AwaitBoundAsync(string listener, TimeSpan? timeout = null)
    {
        IPEndPoint? endpoint = null;
        await AwaitAssertAsync(async () =>
        {
            var bound = await Bindings();
            Assert.True(bound.TryGetValue(listener, out endpoint), $"listener {listener} not bound yet");
        }, timeout ?? TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));
        return endpoint!;
    }
}
