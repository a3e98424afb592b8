using System.Diagnostics;

namespace ActorNet.IntegrationTests.Support;

/// <summary>
/// <c>python3</c> for tests that drive a real non-.NET client (the issue asks for Python's <c>ssl</c> module): found
/// on PATH, else installed with apt-get (Debian's <c>python3</c> carries <c>ssl</c>). Missing and not installable is a
/// failure, not a skip: .ci/run installs it, so a test that silently does nothing would hide a broken client path.
/// </summary>
internal static class Python3
{
    public static string Find()
    {
        if (OnPath() is { } found) return found;
        if (OperatingSystem.IsLinux() && File.Exists("/usr/bin/apt-get"))
        {
            try
            {
                using var apt = Process.Start(new ProcessStartInfo("/usr/bin/apt-get", "install -y -q python3")
                    { RedirectStandardOutput = true, RedirectStandardError = true });
                apt?.WaitForExit(300_000);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // no apt-get to run: reported below
            }
        }

        return OnPath() ?? throw new InvalidOperationException(
            "python3 is not installed (apt-get install python3; .ci/run does this), or set PYTHON3_PATH");
    }

    private static string? OnPath()
    {
        if (Environment.GetEnvironmentVariable("PYTHON3_PATH") is { Length: > 0 } set && File.Exists(set)) return set;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var path = Path.Combine(dir, "python3");
            if (File.Exists(path)) return path;
        }

        return null;
    }

    /// <summary>Runs <paramref name="script"/> (written to <paramref name="directory"/>) with <paramref name="args"/>;
    /// killed after <paramref name="timeout"/> (then the exit code is -1). Returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script, string directory,
        IEnumerable<string> args, TimeSpan timeout)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "client.py");
        await File.WriteAllTextAsync(path, script);
        var info = new ProcessStartInfo(Find()) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(path);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        var exit = -1;
        try
        {
            await process.WaitForExitAsync(cts.Token);
            exit = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        return (exit, await stdout, await stderr);
    }
}
