using System.Net.Sockets;
using ActorNet.Config;
using ActorNet.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;
using ActorNet.Node.Hosting;

namespace ActorNet.IntegrationTests.Config;

/// <summary>Every example config in config/ loads, validates, and boots a node (ports moved to 0 so tests never
/// collide with a running node), every TCP listener accepts a connection, and the node stops cleanly.</summary>
public sealed class ExampleConfigSmokeTests(ITestOutputHelper output) : NodeTestKit(output)
{
    private static List<string> ExampleConfigPaths() =>
        Directory.GetFiles(RepoPaths.File("config"), "*.conf", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(RepoPaths.Root, file).Replace('\\', '/'))
            .Where(relative => !relative.EndsWith("actornet.reference.conf", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string> ExampleConfigs() => new(ExampleConfigPaths());

    [Fact]
    public void There_are_example_configs_including_the_default_node() =>
        Assert.Contains("config/node.conf", ExampleConfigPaths());

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ExampleConfigs))]
    public async Task Example_config_boots_a_node(string relativePath)
    {
        var path = RepoPaths.File(relativePath);
        var (first, errors) = ConfigSource.Load(path, []);
        Assert.Empty(errors);
        var loaded = NodeSettingsLoader.Load(first!, NodeHandlers.Catalog);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Empty(ActorNetNode.Validate(loaded.Settings!, NodeHandlers.Catalog));

        var overrides = loaded.Settings!.Listeners.Select(l => $"actornet.listeners.{l.Name}.bind=\"{(l.Host.Contains(':') ? $"[{l.Host}]" : l.Host)}:0\"").ToList();
        if (loaded.Settings.Cluster.Enabled)
        {
            // a one-member cluster of its own on a free port, so the example's fixed ports never collide
            var port = FreePort.Next();
            overrides.Add($"actornet.cluster.port={port}");
            overrides.Add($"actornet.cluster.seed-nodes=[\"127.0.0.1:{port}\"]");
        }

        var (config, overrideErrors) = ConfigSource.Load(path, overrides);
        Assert.Empty(overrideErrors);
        var settings = NodeSettingsLoader.Load(config!).Settings!;
        if (settings.Cluster.Enabled)
        {
            await BootClusterNodeAsync(settings);
            return;
        }

        var bound = await StartNodeAsync(settings);
        foreach (var listener in settings.Listeners.Where(l => l.Transport == TransportKind.Tcp))
        {
            using var client = new TcpClient();
            await client.ConnectAsync(bound[listener.Name], new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }

        var stop = ActorNetNode.StopAsync(Guardian, TimeSpan.FromSeconds(15));
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(20))));
    }

    /// <summary>Cluster examples need an ActorSystem with the cluster provider: their own, not the TestKit's.</summary>
    private static async Task BootClusterNodeAsync(NodeSettings settings)
    {
        var system = Akka.Actor.ActorSystem.Create(settings.SystemName, settings.Config);
        try
        {
            var guardian = ActorNetNode.Start(system, settings, NodeHandlers.Catalog);
            var bound = await ActorNetNode.WaitForBindingsAsync(guardian, settings, TimeSpan.FromSeconds(15));
            foreach (var listener in settings.Listeners.Where(l => l.Transport == TransportKind.Tcp))
            {
                using var client = new TcpClient();
                await client.ConnectAsync((System.Net.IPEndPoint)bound[listener.Name], new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }

            var cluster = Akka.Cluster.Cluster.Get(system);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!cluster.State.Members.Any(m => m.Status == Akka.Cluster.MemberStatus.Up && m.Address.Equals(cluster.SelfAddress)))
            {
                Assert.True(DateTime.UtcNow < deadline, "the node never became an Up member of its own cluster");
                await Task.Delay(50);
            }
        }
        finally
        {
            await Akka.Actor.CoordinatedShutdown.Get(system).Run(Akka.Actor.CoordinatedShutdown.ClrExitReason.Instance);
        }
    }
}

public sealed class HandlerValidationTests
{
    [Fact]
    public void Chat_settings_are_validated_with_the_node_and_name_their_path()
    {
        var (config, _) = ConfigSource.Parse("""
            actornet.chat { nick-length = 0, flood.per-second = lots }
            actornet.listeners.chat { bind = "127.0.0.1:0", handler = irc, options { ping-interval = never } }
            """);
        var settings = NodeSettingsLoader.Load(config!).Settings!;
        var errors = ActorNetNode.Validate(settings, NodeHandlers.Catalog);
        Assert.Contains(errors, e => e.Path == "actornet.chat.nick-length");
        Assert.Contains(errors, e => e.Path == "actornet.chat.flood.per-second");
        Assert.Contains(errors, e => e.Path == "actornet.listeners.chat.options.ping-interval");
    }

    [Fact]
    public void Chat_sendq_and_per_ip_limit_become_the_irc_listeners_limits()
    {
        const string Listener = """actornet.listeners.chat { bind = "127.0.0.1:0", handler = irc, write-queue-limit-bytes = 1MiB, max-frame-bytes = 8704 }""";
        var (config, _) = ConfigSource.Parse(Listener + "\nactornet.chat { sendq-bytes = 64KiB, max-connections-per-ip = 3 }");
        var configured = new ActorNet.Chat.IrcHandlerFactory().Configure(NodeSettingsLoader.Load(config!).Settings!.Listeners[0]);
        Assert.Equal((64L * 1024, 3), (configured.WriteQueueLimitBytes, configured.MaxConnectionsPerIp));

        var (plain, _) = ConfigSource.Parse(Listener);
        var unchanged = new ActorNet.Chat.IrcHandlerFactory().Configure(NodeSettingsLoader.Load(plain!).Settings!.Listeners[0]);
        Assert.Equal((1024L * 1024, 0), (unchanged.WriteQueueLimitBytes, unchanged.MaxConnectionsPerIp));
    }
}
