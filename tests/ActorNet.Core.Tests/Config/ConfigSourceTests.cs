using ActorNet.Config;
using Xunit;
using static ActorNet.Core.Tests.Config.ConfigTestUtil;

namespace ActorNet.Core.Tests.Config;

public sealed class ConfigSourceTests
{
    private const string Echo = """actornet.listeners.echo { bind = "127.0.0.1:7000", handler = echo }""";

    [Fact]
    public void Overrides_win_over_the_file_and_later_overrides_win_over_earlier_ones()
    {
        var settings = LoadOk(Echo,
            "actornet.listeners.echo.bind=127.0.0.1:7100",
            "actornet.node.name=first",
            "actornet.node.name=second",
            "actornet.listeners.echo.idle-timeout=30s");
        var echo = Assert.Single(settings.Listeners);
        Assert.Equal((7100, "echo", TimeSpan.FromSeconds(30)), (echo.Port, echo.Handler, echo.IdleTimeout));
        Assert.Equal("second", settings.NodeName);
    }

    [Fact]
    public void An_override_can_add_a_listener()
    {
        var settings = LoadOk(Echo, """actornet.listeners.extra={ bind = "127.0.0.1:7200", handler = broadcast }""");
        Assert.Equal(["echo", "extra"], settings.Listeners.Select(l => l.Name));
    }

    [Fact]
    public void Malformed_override_is_an_error_not_an_exception()
    {
        var (config, errors) = ConfigSource.Parse(Echo, ["no-equals-sign"]);
        Assert.Null(config);
        var error = Assert.Single(errors);
        Assert.Equal("--set", error.Path);
        Assert.Contains("key=value", error.Reason);
    }

    [Fact]
    public void Hocon_syntax_error_is_an_error_not_an_exception()
    {
        var (config, errors) = ConfigSource.Parse("actornet { listeners { ");
        Assert.Null(config);
        Assert.Contains("HOCON", Assert.Single(errors).Reason);
    }

    [Fact]
    public void Missing_file_is_an_error_naming_the_file()
    {
        var (config, errors) = ConfigSource.Load("/nonexistent/actornet.conf", []);
        Assert.Null(config);
        var error = Assert.Single(errors);
        Assert.Equal("/nonexistent/actornet.conf", error.Path);
        Assert.Contains("not found", error.Reason);
    }

    [Fact]
    public void Akka_section_of_the_file_is_kept()
    {
        var (config, _) = ConfigSource.Parse("akka.loglevel = DEBUG\n" + Echo);
        Assert.Equal("DEBUG", config!.GetString("akka.loglevel"));
        Assert.Equal("DEBUG", NodeSettingsLoader.Load(config).Settings!.Config.GetString("akka.loglevel"));
    }

    [Fact]
    public void Reference_config_alone_loads()
    {
        var result = NodeSettingsLoader.Load(ConfigSource.Reference);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
    }
}

public sealed class HoconSyntaxCheckTests
{
    [Theory]
    [InlineData("actornet { listeners { ", "line 1: '{' is never closed")]
    [InlineData("a = 1\nb = }", "line 2: '}' closes nothing")]
    [InlineData("a = [1, 2}", "line 1: '}' closes the '[' opened on line 1")]
    [InlineData("a = \"open\nb = 2", "line 1: unterminated string")]
    [InlineData("a = \"\"\"never", "line 1: unterminated triple-quoted string")]
    [InlineData("a = [::1]:7000", "line 1: unquoted ':' inside a list; quote the value (e.g. [\"127.0.0.1:4053\"])")]
    [InlineData("a = ${?HOME}", "line 1: optional substitutions ${?...} are not supported")]
    public void Finds_unbalanced_structure_with_its_line(string text, string error) =>
        Assert.Equal(error, HoconSyntaxCheck.Check(text));

    [Theory]
    [InlineData("a { b = \"}\" } # } in a comment\n// { too\nc = [1, 2]")]
    [InlineData("a = \"\"\"multi\n{ line\"\"\"\nb { }")]
    [InlineData("a = \"esc \\\" quote { \"")]
    [InlineData("seeds = [\"127.0.0.1:4053\", ${x}]\nx = y")]
    public void Accepts_balanced_text_with_brackets_in_strings_and_comments(string text) =>
        Assert.Null(HoconSyntaxCheck.Check(text));
}

public sealed class HoconHazardTests
{
    [Theory(Timeout = 10_000)]
    [InlineData("a = ${a}", "refers to itself")]
    [InlineData("a = ${b}\nb = ${a}", "refers to itself")]
    [InlineData("actornet.listeners.x.bind = [::1]:7000", "unquoted ':'")]
    public async Task Inputs_that_hang_or_overflow_akkas_parser_are_errors(string hocon, string reason)
    {
        await Task.Yield();
        var (config, errors) = ConfigSource.Parse(hocon);
        Assert.Null(config);
        Assert.Contains(reason, Assert.Single(errors).Reason);
    }

    [Fact]
    public void An_override_that_would_hang_the_parser_is_taken_as_a_plain_string()
    {
        var (config, errors) = ConfigSource.Parse("", ["actornet.node.name=[::1]:7000"]);
        Assert.Empty(errors);
        Assert.Equal("[::1]:7000", config!.GetString("actornet.node.name"));
    }
}
