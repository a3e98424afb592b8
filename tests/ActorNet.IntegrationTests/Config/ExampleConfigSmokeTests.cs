using System.Net.Sockets;
using ActorNet.Config;
using ActorNet.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

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
        var loaded = NodeSettingsLoader.Load(first!);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Empty(ActorNetNode.Validate(loaded.Settings!));

        var overrides = loaded.Settings!.Listeners.Select(l => $"actornet.listeners.{l.Name}.bind=\"{(l.Host.Contains(':') ? $"[{l.Host}]" : l.Host)}:0\"").ToArray();
        var (config, overrideErrors) = ConfigSource.Load(path, overrides);
        Assert.Empty(overrideErrors);
        var settings = NodeSettingsLoader.Load(config!).Settings!;

        var bound = await StartNodeAsync(settings);
        foreach (var listener in settings.Listeners.Where(l => l.Transport == TransportKind.Tcp))
        {
            using var client = new TcpClient();
            await client.ConnectAsync(bound[listener.Name], new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }

        var stop = ActorNetNode.StopAsync(Guardian, TimeSpan.FromSeconds(15));
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(20))));
    }
}
