using ActorNet.Config;
using ActorNet.IntegrationTests.Support;
using ActorNet.Node.Cli;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace ActorNet.IntegrationTests.Config;

/// <summary>
/// Every config key of every type, fed hostile values (NaN, 1e300, negatives, huge numbers and sizes, wrong types,
/// random text) on top of config/node.conf through <c>--set</c> (issue 15, item 6): loading never throws, and a
/// rejected value is reported as <c>FILE: HOCON.PATH: reason</c> — what <c>actornet run/check</c> print before exit 2.
/// </summary>
[Properties(MaxTest = 400, Replay = "20261202,2141")]
public sealed class ConfigFuzzTests
{
    private static readonly string NodeConf = RepoPaths.File("config/node.conf");

    /// <summary>Every leaf key of the reference config, with listener-defaults moved onto a real listener.</summary>
    private static readonly string[] Keys = LeafKeys(ConfigSource.Reference, "actornet")
        .Select(k => k.StartsWith("actornet.listener-defaults.", StringComparison.Ordinal) ? "actornet.listeners.web." + k["actornet.listener-defaults.".Length..] : k)
        .Concat([
            "actornet.listeners.echo.allowed-origins", "actornet.chat.opers.admin", "actornet.faults.toxics.t.latency",
            "actornet.faults.toxics.t.rate", "actornet.faults.toxics.t.bytes", "actornet.faults.toxics.t.probability",
            "actornet.admin.auth-throttle.window", "actornet.admin.token", "actornet.admin.bind",
        ])
        .Distinct().Order(StringComparer.Ordinal).ToArray();

    private static readonly string[] Hostile =
    [
        "NaN", "nan", "Infinity", "-Infinity", "1e300", "-1e300", "1e300s", "1e300ms", "1e300 days", "-1", "-1s", "0", "0s",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "2147483648", "4294967296", "1e19",
        "99999999999999999999999d", "1e300 GiB", "-5MiB", "1.5", "0.0000001ms", "\"\"", "\" \"", "[]", "[1, 2]", "{}",
        "{ a = 1 }", "\"abc\"", "true", "null", "\"1e300s\"", "\"NaN\"", "\"-1\"", "\"*\"", "[\"*\"]", "[\"http://x\"]",
        "\"0.0.0.0:0\"", "\"[::]:99999\"", "\"host:port\"", "\"127.0.0.1:-1\"",
    ];

    private static IEnumerable<string> LeafKeys(Akka.Configuration.Config config, string path)
    {
        var section = config.GetConfig(path);
        if (section is null || section.IsEmpty) yield break;
        foreach (var entry in section.AsEnumerable())
        {
            var child = path + "." + entry.Key;
            if (entry.Value.IsObject())
                foreach (var leaf in LeafKeys(config, child)) yield return leaf;
            else yield return child;
        }
    }

    [Fact]
    public void The_key_list_covers_every_section() =>
        Assert.True(Keys.Length > 60 && Keys.Any(k => k.StartsWith("actornet.chat.flood.", StringComparison.Ordinal))
                    && Keys.Any(k => k.StartsWith("actornet.cluster.", StringComparison.Ordinal)), string.Join(", ", Keys));

    [Property]
    public Property No_value_of_any_key_makes_loading_throw()
    {
        var value = Gen.OneOf(Gen.Elements(Hostile), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
            ArbMap.Default.GeneratorFor<double>().Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var cases = Gen.Elements(Keys).SelectMany(k => value.Select(v => (Key: k, Value: v)));
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            NodeConfigurationResult result;
            try
            {
                result = NodeConfiguration.Load(NodeConf, [$"{c.Key}={c.Value}"]);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"--set {c.Key}={c.Value}: {e.GetType().Name}: {e.Message}");
            }

            Assert.True(result.Ok || result.Errors.All(e => e.StartsWith(NodeConf + ": ", StringComparison.Ordinal) || e.StartsWith("--set", StringComparison.Ordinal)),
                $"--set {c.Key}={c.Value}: {string.Join(" | ", result.Errors)}");
        });
    }

    [Theory]
    [InlineData("actornet.faults.chaos.probability", "NaN")]
    [InlineData("actornet.faults.chaos.interval", "1e300s")]
    [InlineData("actornet.listeners.echo.idle-timeout", "100000d")]
    [InlineData("actornet.chat.ping-interval", "1e300s")]
    [InlineData("actornet.chat.flood.per-second", "NaN")]
    [InlineData("actornet.listeners.echo.max-frame-bytes", "1e300 GiB")]
    [InlineData("actornet.listeners.echo.max-connections", "-1")]
    public void Out_of_range_values_are_refused_naming_file_and_key(string key, string value)
    {
        var result = NodeConfiguration.Load(NodeConf, [$"{key}={value}"]);
        Assert.False(result.Ok);
        Assert.Contains(result.Errors, e => e.StartsWith($"{NodeConf}: {key}: ", StringComparison.Ordinal));
    }
}
