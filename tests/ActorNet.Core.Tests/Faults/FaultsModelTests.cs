using ActorNet.Admin;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.Runtime;
using ActorNet.Transport;
using Xunit;

namespace ActorNet.Core.Tests.Faults;

public sealed class ChaosPlanTests
{
    [Fact]
    public void Same_seed_and_candidate_counts_replay_the_same_choices()
    {
        var counts = Enumerable.Range(0, 200).Select(i => i % 7).ToList();
        List<ChaosChoice?> Run(int seed)
        {
            var plan = new ChaosPlan(seed, 0.5, [KillMode.Close, KillMode.Reset, KillMode.Crash]);
            return counts.Select(plan.Next).ToList();
        }

        var first = Run(42);
        Assert.Equal(first, Run(42));
        Assert.NotEqual(first, Run(43));
        Assert.All(first.Select((c, i) => (c, i)), x => Assert.True(x.c is null || x.c.Index < counts[x.i]));
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), first.Select((c, i) => c?.Sequence ?? i + 1));
        Assert.InRange(first.Count(c => c is not null), 50, 120); // ~0.5 of the draws with candidates
        Assert.Equal(3, first.Where(c => c is not null).Select(c => c!.Mode).Distinct().Count());
    }

    [Fact]
    public void Probability_zero_never_acts_and_no_candidates_never_acts()
    {
        var never = new ChaosPlan(1, 0, [KillMode.Close]);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Null(never.Next(10)));
        var always = new ChaosPlan(1, 1, [KillMode.Close]);
        Assert.Null(always.Next(0));
        Assert.NotNull(always.Next(1));
    }
}

public sealed class ToxicParserTests
{
    [Fact]
    public void Parses_each_kind()
    {
        var latency = ToxicParser.Parse(new Dictionary<string, string> { ["name"] = "slow", ["type"] = "latency", ["listener"] = "echo", ["latency"] = "200ms", ["jitter"] = "1s" }, out var e1);
        Assert.Empty(e1);
        Assert.Equal(new ToxicSpec("slow", ToxicKind.Latency, ToxicDirection.Downstream, "echo", null, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)), latency);

        var drop = ToxicParser.Parse(new Dictionary<string, string> { ["name"] = "d", ["type"] = "drop", ["connection"] = "42", ["direction"] = "upstream", ["probability"] = "0.25" }, out _);
        Assert.Equal(42, drop!.ConnectionId);
        Assert.Equal(ToxicDirection.Upstream, drop.Direction);
        Assert.Equal(0.25, drop.Probability);

        Assert.Equal(16, ToxicParser.Parse(new Dictionary<string, string> { ["name"] = "b", ["type"] = "bandwidth", ["listener"] = "x", ["rate"] = "16" }, out _)!.RateKiBps);
        Assert.Equal(100, ToxicParser.Parse(new Dictionary<string, string> { ["name"] = "r", ["type"] = "reset-after", ["listener"] = "x", ["bytes"] = "100" }, out _)!.Bytes);
    }

    [Theory]
    [InlineData("type", "weird", "type")]
    [InlineData("probability", "1.5", "probability")]
    [InlineData("direction", "sideways", "direction")]
    [InlineData("colour", "red", "colour")]
    public void Reports_bad_fields_by_key(string key, string value, string expectedKey)
    {
        var values = new Dictionary<string, string> { ["name"] = "t", ["type"] = "drop", ["listener"] = "echo", ["probability"] = "0.5", [key] = value };
        Assert.Null(ToxicParser.Parse(values, out var errors));
        Assert.Contains(errors, e => e.StartsWith(expectedKey + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void Needs_exactly_one_target()
    {
        Assert.Null(ToxicParser.Parse(new Dictionary<string, string> { ["name"] = "t", ["type"] = "timeout" }, out var errors));
        Assert.Contains(errors, e => e.Contains("exactly one"));
    }
}

public sealed class PrometheusTextTests
{
    [Fact]
    public void Renders_per_listener_counters_with_reasons_and_modes()
    {
        var metrics = new NodeMetrics();
        var echo = metrics.For("echo");
        echo.ConnectionOpened();
        echo.ConnectionOpened();
        echo.ConnectionClosed(DisconnectReason.Killed);
        echo.Killed(KillMode.Reset);
        echo.FrameIn(10);
        var text = PrometheusText.Render(metrics.Snapshot());
        Assert.Contains("# TYPE actornet_connections_open gauge\nactornet_connections_open{listener=\"echo\"} 1\n", text);
        Assert.Contains("actornet_connections_accepted_total{listener=\"echo\"} 2\n", text);
        Assert.Contains("actornet_connections_closed_total{listener=\"echo\",reason=\"Killed\"} 1\n", text);
        Assert.Contains("actornet_kills_total{listener=\"echo\",mode=\"reset\"} 1\n", text);
        Assert.Contains("actornet_bytes_in_total{listener=\"echo\"} 10\n", text);
        Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), line =>
            Assert.Matches(@"^(# (HELP|TYPE) actornet_\w+ .+|actornet_\w+\{[^}]*\} \d+)$", line));
    }
}

public sealed class FaultsConfigTests
{
    private static LoadResult Load(string hocon) => NodeSettingsLoader.Load(Akka.Configuration.ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void Admin_and_faults_default_off()
    {
        var result = Load("actornet.listeners.echo { bind = \"127.0.0.1:0\", handler = echo }");
        Assert.True(result.Ok, string.Join("; ", result.Errors));
        Assert.False(result.Settings!.AdminOrDefault.Enabled);
        Assert.Equal(8080, result.Settings.AdminOrDefault.Port);
        Assert.Empty(result.Settings.FaultsOrDefault.Toxics);
        Assert.False(result.Settings.FaultsOrDefault.Chaos.Enabled);
    }

    [Fact]
    public void Parses_admin_toxics_and_chaos()
    {
        var result = Load("""
            actornet {
              listeners.echo { bind = "127.0.0.1:0", handler = echo }
              admin { enabled = true, bind = "127.0.0.1:9090", token = s3cret-0123456789abcdef }
              faults {
                toxics.slow { listener = echo, type = latency, latency = 150ms }
                chaos { enabled = true, seed = 7, interval = 250ms, probability = 0.2, modes = [crash], listeners = [echo] }
              }
            }
            """);
        Assert.True(result.Ok, string.Join("; ", result.Errors));
        var s = result.Settings!;
        Assert.Equal(new AdminSettings(true, "127.0.0.1", 9090, "s3cret-0123456789abcdef"), s.Admin);
        Assert.Equal(TimeSpan.FromMilliseconds(150), s.FaultsOrDefault.Toxics.Single().Latency);
        var chaos = s.FaultsOrDefault.Chaos;
        Assert.Equal((true, 7, TimeSpan.FromMilliseconds(250), 0.2), (chaos.Enabled, chaos.Seed, chaos.Interval, chaos.Probability));
        Assert.Equal([KillMode.Crash], chaos.Modes);
        Assert.Equal(["echo"], chaos.Listeners);
    }

    [Fact]
    public void Reports_every_fault_error_with_its_path()
    {
        var result = Load("""
            actornet {
              listeners.echo { bind = "127.0.0.1:0", handler = echo }
              admin { bind = "nowhere", colour = red }
              faults {
                toxics.bad { listener = nope, type = latency, latency = 10ms }
                toxics.worse { listener = echo, type = drop, probability = 2 }
                chaos { modes = [explode], probability = 3, listeners = [ghost] }
              }
            }
            """);
        Assert.False(result.Ok);
        var paths = result.Errors.Select(e => e.Path).ToHashSet();
        foreach (var expected in new[]
                 {
                     "actornet.admin.bind", "actornet.admin.colour", "actornet.faults.toxics.bad.listener",
                     "actornet.faults.toxics.worse.probability", "actornet.faults.chaos.modes",
                     "actornet.faults.chaos.probability", "actornet.faults.chaos.listeners",
                 })
            Assert.Contains(expected, paths);
    }

    [Fact]
    public void Token_comes_from_the_environment_when_set()
    {
        var admin = AdminSettings.Default with { Token = "file" };
        Assert.Equal("env", admin.WithEnvironment(_ => "env").Token);
        Assert.Equal("file", admin.WithEnvironment(_ => null).Token);
    }
}
