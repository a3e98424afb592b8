using ActorNet.Config;
using ActorNet.Node.Cli;
using ActorNet.Node.Hosting;
using ActorNet.Node.Logging;
using Serilog.Events;
using Serilog.Parsing;
using Xunit;

namespace ActorNet.IntegrationTests.EndToEnd;

/// <summary>Plain tests of the executable's pure helpers: names, error lines, log levels, console format.</summary>
public sealed class PureNodeTests
{
    [Theory]
    [InlineData("node-1", "node-1")]
    [InlineData("my node!", "my-node")]
    [InlineData("  relay.eu_west ", "relay-eu_west")]
    [InlineData("-_-lead", "lead")]
    [InlineData("", "actornet")]
    [InlineData("!!!", "actornet")]
    [InlineData("nœud", "n-ud")]
    public void ActorSystem_names_are_sanitised(string nodeName, string expected) =>
        Assert.Equal(expected, ActorSystemNames.Sanitize(nodeName));

    [Theory]
    [InlineData("run")]
    [InlineData("check")]
    public void Cli_takes_a_config_path_and_repeated_overrides(string command)
    {
        var root = NodeCli.BuildRootCommand(TextWriter.Null, TextWriter.Null);

        var parsed = root.Parse([command, "--config", "x.conf", "--set", "a.b=1", "--set", "c=\"d e\""]);
        var defaults = root.Parse([command]);

        Assert.Empty(parsed.Errors);
        Assert.Equal("x.conf", parsed.GetValue<string>("--config"));
        Assert.Equal(new[] { "a.b=1", "c=\"d e\"" }, parsed.GetValue<string[]>("--set") ?? []);
        Assert.Equal(NodeCli.DefaultConfigPath, defaults.GetValue<string>("--config"));
    }

    [Fact]
    public void Cli_rejects_unknown_commands()
    {
        var root = NodeCli.BuildRootCommand(TextWriter.Null, TextWriter.Null);

        Assert.NotEmpty(root.Parse(["serve"]).Errors);
    }

    [Fact]
    public void Config_errors_are_printed_as_file_path_reason()
    {
        Assert.Equal("a.conf: actornet.listeners.x.port: must be 0..65535",
            NodeConfiguration.Format("a.conf", new ConfigError("actornet.listeners.x.port", "must be 0..65535")));
        Assert.Equal("a.conf: file not found", NodeConfiguration.Format("a.conf", new ConfigError("a.conf", "file not found")));
        Assert.Equal("a.conf: --set: expected key=value",
            NodeConfiguration.Format("a.conf", new ConfigError("--set", "expected key=value")));
    }

    [Theory]
    [InlineData(LogLevelSetting.Verbose, LogEventLevel.Verbose, Akka.Event.LogLevel.DebugLevel)]
    [InlineData(LogLevelSetting.Debug, LogEventLevel.Debug, Akka.Event.LogLevel.DebugLevel)]
    [InlineData(LogLevelSetting.Information, LogEventLevel.Information, Akka.Event.LogLevel.InfoLevel)]
    [InlineData(LogLevelSetting.Warning, LogEventLevel.Warning, Akka.Event.LogLevel.WarningLevel)]
    [InlineData(LogLevelSetting.Error, LogEventLevel.Error, Akka.Event.LogLevel.ErrorLevel)]
    [InlineData(LogLevelSetting.Fatal, LogEventLevel.Fatal, Akka.Event.LogLevel.ErrorLevel)]
    public void Levels_map_to_serilog_and_akka(LogLevelSetting setting, LogEventLevel serilog, Akka.Event.LogLevel akka)
    {
        Assert.Equal(serilog, SerilogSetup.ToSerilog(setting));
        Assert.Equal(akka, SerilogSetup.ToAkka(setting));
    }

    [Fact]
    public void Console_lines_show_context_properties_but_not_bookkeeping()
    {
        var template = new MessageTemplateParser().Parse("connection {ConnectionId} closed");
        var evt = new LogEvent(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), LogEventLevel.Information, null, template,
        [
            new LogEventProperty("ConnectionId", new ScalarValue(42)),
            new LogEventProperty("Listener", new ScalarValue("echo")),
            new LogEventProperty("Remote", new ScalarValue("127.0.0.1:5000")),
            new LogEventProperty("Node", new ScalarValue("n1")),
            new LogEventProperty("SourceContext", new ScalarValue("X")),
        ]);
        var output = new StringWriter();

        new ConsoleLogFormatter().Format(evt, output);

        var line = output.ToString().TrimEnd();
        Assert.EndsWith("INF] connection 42 closed  Listener=echo Remote=127.0.0.1:5000", line);
        Assert.DoesNotContain("Node=", line, StringComparison.Ordinal);
        Assert.DoesNotContain("SourceContext", line, StringComparison.Ordinal);
    }
}
