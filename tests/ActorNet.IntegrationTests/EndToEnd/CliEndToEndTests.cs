using Xunit;

namespace ActorNet.IntegrationTests.EndToEnd;

/// <summary>The published <c>actornet</c> binary: check, --version, and run refusing a bad config.</summary>
[Collection(ActornetProcessCollection.Name)]
public sealed class CliEndToEndTests(ActornetBinary binary) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>One listener with three problems: port out of range (in bind), unknown handler, unknown key.</summary>
    private const string BrokenConfig = """
        actornet {
          node.name = "broken"
          listeners {
            bad {
              transport = tcp
              bind = "127.0.0.1:70000"
              handler = "no-such-handler"
              colour = "blue"
            }
          }
        }
        """;

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Check_reports_every_error_with_its_path_and_exits_2()
    {
        var file = _dir.Write("broken.conf", BrokenConfig);

        using var node = await NodeProcess.RunToExitAsync(binary.StartInfo(_dir.Path, "check", "--config", file), Timeout);

        Assert.True(node.ExitCode == 2, $"exit code {node.ExitCode}\n{node.Describe()}");
        var lines = node.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var path in new[] { "actornet.listeners.bad.bind", "actornet.listeners.bad.handler", "actornet.listeners.bad.colour" })
            Assert.Contains(lines, l => l.StartsWith(file + ": ", StringComparison.Ordinal) && l.Contains(path, StringComparison.Ordinal));
        Assert.DoesNotContain("config OK", node.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_accepts_the_default_node_config()
    {
        var file = Path.Combine(binary.RepoRoot, "config", "node.conf");

        using var node = await NodeProcess.RunToExitAsync(binary.StartInfo(_dir.Path, "check", "--config", file), Timeout);

        Assert.True(node.ExitCode == 0, $"exit code {node.ExitCode}\n{node.Describe()}");
        Assert.Contains("config OK", node.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_of_a_missing_file_exits_2_naming_the_file()
    {
        var file = Path.Combine(_dir.Path, "missing.conf");

        using var node = await NodeProcess.RunToExitAsync(binary.StartInfo(_dir.Path, "check", "--config", file), Timeout);

        Assert.True(node.ExitCode == 2, $"exit code {node.ExitCode}\n{node.Describe()}");
        Assert.Contains(file, node.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_with_a_bad_config_exits_2_before_starting_anything()
    {
        var file = _dir.Write("broken.conf", BrokenConfig);

        using var node = await NodeProcess.RunToExitAsync(binary.StartInfo(_dir.Path, "run", "--config", file), Timeout);

        Assert.True(node.ExitCode == 2, $"exit code {node.ExitCode}\n{node.Describe()}");
        Assert.Contains("actornet.listeners.bad.bind", node.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("started as ActorSystem", node.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_informational_version()
    {
        using var node = await NodeProcess.RunToExitAsync(binary.StartInfo(_dir.Path, "--version"), Timeout);

        Assert.True(node.ExitCode == 0, $"exit code {node.ExitCode}\n{node.Describe()}");
        Assert.Matches(@"^\d+\.\d+\.\d+", node.Stdout.Trim());
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        using var node = await NodeProcess.RunToExitAsync(binary.StartInfo(_dir.Path, "--help"), Timeout);

        Assert.True(node.ExitCode == 0, $"exit code {node.ExitCode}\n{node.Describe()}");
        Assert.Contains("run", node.Stdout, StringComparison.Ordinal);
        Assert.Contains("check", node.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
