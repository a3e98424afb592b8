using System.Text.Json;
using ActorNet.Config;
using ActorNet.Node.Hosting;
using ActorNet.Node.Logging;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorNet.IntegrationTests.EndToEnd;

/// <summary>
/// The host in-process with a stand-in guardian: Akka's structured log events reach the compact JSON file with
/// their properties, the ActorSystem is named after the node, Stop runs in CoordinatedShutdown, and a failing
/// Start is recorded.
/// </summary>
public sealed class NodeHostTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Akka_structured_log_events_reach_the_json_file_with_separate_properties()
    {
        var logFile = Path.Combine(_dir.Path, "node.json");
        var settings = Settings("json node", new LoggingSettings(LogLevelSetting.Information, false, logFile, true));
        var stopped = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entry = new NodeEntryPoints(
            (system, _) => system.ActorOf(Props.Create(() => new BoundLogger()), ActorNetNode.GuardianName),
            (guardian, timeout) =>
            {
                stopped.TrySetResult(timeout);
                return guardian.GracefulStop(timeout);
            });
        var state = new NodeRunState();

        await using (var logger = SerilogSetup.CreateLogger(settings.Logging, settings.NodeName))
        {
            using var host = NodeHost.Build(settings, entry, state, logger);
            using var cts = new CancellationTokenSource(Timeout);
            await host.StartAsync(cts.Token);
            Assert.True(state.Started);
            Assert.Equal("json-node", host.Services.GetRequiredService<ActorSystem>().Name);

            var line = await WaitForFileLineAsync(logFile, "\"Listener\":\"echo\"", Timeout);
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal("listener {Listener} bound {Transport} {Endpoint}", root.GetProperty("@mt").GetString());
            Assert.Equal("echo", root.GetProperty("Listener").GetString());
            Assert.Equal("tcp", root.GetProperty("Transport").GetString());
            Assert.Equal("127.0.0.1:7000", root.GetProperty("Endpoint").GetString());
            Assert.Equal("json node", root.GetProperty("Node").GetString());

            await host.StopAsync(cts.Token);
        }

        Assert.True(stopped.Task.IsCompleted, "Stop was not called during CoordinatedShutdown");
        Assert.True(await stopped.Task > TimeSpan.Zero);
        Assert.DoesNotContain("\"@l\":\"Debug\"", await File.ReadAllTextAsync(logFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_start_is_recorded_and_the_node_does_not_count_as_started()
    {
        var settings = Settings("failing", new LoggingSettings(LogLevelSetting.Warning, false, null, false));
        var boom = new InvalidOperationException("boom");
        var entry = new NodeEntryPoints((_, _) => throw boom, (_, _) => Task.CompletedTask);
        var state = new NodeRunState();

        await using var logger = SerilogSetup.CreateLogger(settings.Logging, settings.NodeName);
        using var host = NodeHost.Build(settings, entry, state, logger);
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await host.StartAsync(cts.Token);
        }
        catch (InvalidOperationException)
        {
            // Akka.Hosting may rethrow the start failure; the state must record it either way.
        }
        await host.StopAsync(cts.Token);

        Assert.False(state.Started);
        Assert.Same(boom, state.StartFailure);
    }

    [Fact]
    public async Task Akka_loglevel_follows_the_configured_level_even_when_the_config_sets_another()
    {
        var settings = Settings("levels", new LoggingSettings(LogLevelSetting.Warning, false, null, false),
            "akka.loglevel = DEBUG\nakka.actor.ask-timeout = 7s");
        var entry = new NodeEntryPoints((system, _) => system.DeadLetters, (_, _) => Task.CompletedTask);
        var state = new NodeRunState();

        await using var logger = SerilogSetup.CreateLogger(settings.Logging, settings.NodeName);
        using var host = NodeHost.Build(settings, entry, state, logger);
        using var cts = new CancellationTokenSource(Timeout);
        await host.StartAsync(cts.Token);
        var system = host.Services.GetRequiredService<ActorSystem>();
        try
        {
            Assert.Equal("WARNING", system.Settings.LogLevel, ignoreCase: true);
            Assert.Equal(TimeSpan.FromSeconds(7), system.Settings.AskTimeout);
        }
        finally
        {
            await host.StopAsync(cts.Token);
        }
    }

    private static NodeSettings Settings(string name, LoggingSettings logging, string akkaHocon = "") =>
        new(name, [],
            new SupervisionSettings(3, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)),
            logging, ConfigurationFactory.ParseString(akkaHocon));

    private static async Task<string> WaitForFileLineAsync(string file, string fragment, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(file))
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (line.Contains(fragment, StringComparison.Ordinal))
                        return line;
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no line with {fragment} in {file} within {timeout}");
    }

    public void Dispose() => _dir.Dispose();

    private sealed class BoundLogger : ReceiveActor
    {
        public BoundLogger()
        {
            var log = Context.GetLogger();
            log.Debug("not written at Information {Detail}", 1);
            log.Info("listener {Listener} bound {Transport} {Endpoint}", "echo", "tcp", "127.0.0.1:7000");
            ReceiveAny(_ => { });
        }
    }
}
