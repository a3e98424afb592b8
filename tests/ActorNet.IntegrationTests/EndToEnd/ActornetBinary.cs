using System.Diagnostics;
using Xunit;

namespace ActorNet.IntegrationTests.EndToEnd;

/// <summary>
/// Finds the published <c>actornet</c> executable once per test run: <c>ACTORNET_BIN</c>, else
/// <c>&lt;repo&gt;/artifacts/actornet/actornet</c>; publishes it (bounded in time) when it is missing.
/// </summary>
public sealed class ActornetBinary : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The repository root (the folder holding ActorNet.sln).</summary>
    public string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Full path of the executable (or of actornet.dll, run through <c>dotnet</c>).</summary>
    public string Path { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var fromEnv = Environment.GetEnvironmentVariable("ACTORNET_BIN");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            Path = System.IO.Path.GetFullPath(fromEnv);
            if (!File.Exists(Path))
                throw new FileNotFoundException($"ACTORNET_BIN points to a missing file: {Path}");
            return;
        }

        var publishDir = System.IO.Path.Combine(RepoRoot, "artifacts", "actornet");
        Path = System.IO.Path.Combine(publishDir, OperatingSystem.IsWindows() ? "actornet.exe" : "actornet");
        if (!File.Exists(Path))
            await PublishAsync(publishDir);
        if (!File.Exists(Path))
            throw new FileNotFoundException($"dotnet publish did not produce {Path}");
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A start info for the binary with <paramref name="args"/>, in <paramref name="workingDirectory"/>.</summary>
    public ProcessStartInfo StartInfo(string workingDirectory, params string[] args)
    {
        var isDll = Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var psi = new ProcessStartInfo(isDll ? "dotnet" : Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (isDll)
            psi.ArgumentList.Add(Path);
        foreach (var arg in args)
            psi.ArgumentList.Add(arg);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        return psi;
    }

    private async Task PublishAsync(string publishDir)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "publish", "src/ActorNet.Node", "-c", "Release", "-o", publishDir, "-nodeReuse:false" })
            psi.ArgumentList.Add(arg);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet publish");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish did not finish within {PublishTimeout}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ActorNet.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no ActorNet.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>The end-to-end tests share one binary and run one at a time (they start real processes), and not while
/// the parallel tests run: a clustered process starved of CPU by other tests could be downed by its peers.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ActornetProcessCollection : ICollectionFixture<ActornetBinary>
{
    /// <summary>Collection name.</summary>
    public const string Name = "actornet process";
}
