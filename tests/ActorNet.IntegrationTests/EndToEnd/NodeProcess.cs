using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace ActorNet.IntegrationTests.EndToEnd;

/// <summary>
/// A running <c>actornet</c> process with its stdout and stderr collected line by line. Every wait is bounded;
/// Dispose kills the process tree if it is still running.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly object _gate = new();
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly SemaphoreSlim _lineArrived = new(0);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The OS process id.</summary>
    public int Id => _process.Id;

    /// <summary>Exit code (only after the process exited).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything written to stdout so far.</summary>
    public string Stdout { get { lock (_gate) return string.Join('\n', _stdout); } }

    /// <summary>Everything written to stderr so far.</summary>
    public string Stderr { get { lock (_gate) return string.Join('\n', _stderr); } }

    /// <summary>Starts the process described by <paramref name="psi"/> (its output must be redirected).</summary>
    public static NodeProcess Start(ProcessStartInfo psi)
    {
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var node = new NodeProcess(process);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data, node._stdout, node._stdoutClosed);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data, node._stderr, node._stderrClosed);
        if (!process.Start())
            throw new InvalidOperationException($"could not start {psi.FileName}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Runs to completion (bounded) and returns the exit code.</summary>
    public static async Task<NodeProcess> RunToExitAsync(ProcessStartInfo psi, TimeSpan timeout)
    {
        var node = Start(psi);
        await node.WaitForExitAsync(timeout);
        return node;
    }

    /// <summary>Waits for a stdout line matching <paramref name="pattern"/>; throws TimeoutException with the output so far.</summary>
    public async Task<Match> WaitForStdoutAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = 0;
        while (true)
        {
            lock (_gate)
            {
                for (; seen < _stdout.Count; seen++)
                {
                    var match = pattern.Match(_stdout[seen]);
                    if (match.Success)
                        return match;
                }
            }
            if (_process.HasExited && _stdoutClosed.Task.IsCompleted)
                throw new InvalidOperationException($"actornet exited ({_process.ExitCode}) before printing /{pattern}/\n{Describe()}");
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
                throw new TimeoutException($"no stdout line matched /{pattern}/ within {timeout}\n{Describe()}");
            await _lineArrived.WaitAsync(remaining < TimeSpan.FromMilliseconds(250) ? remaining : TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Waits (bounded) for the process to exit and its output to be fully read.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"actornet did not exit within {timeout}\n{Describe()}");
        }
    }

    /// <summary>Sends SIGTERM (POSIX only), as a service manager or <c>kill</c> would.</summary>
    public void SendSigterm()
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("SIGTERM needs a POSIX system");
        if (Kill(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>The collected output, for assertion messages.</summary>
    /// <summary>SIGKILL: the process dies at once, saying goodbye to nobody.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    public string Describe()
    {
        var sb = new StringBuilder();
        sb.AppendLine("--- stdout ---").AppendLine(Stdout).AppendLine("--- stderr ---").AppendLine(Stderr);
        return sb.ToString();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
        _lineArrived.Dispose();
    }

    private void OnLine(string? line, List<string> into, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
        }
        else
        {
            lock (_gate)
                into.Add(line);
        }
        try
        {
            _lineArrived.Release();
        }
        catch (ObjectDisposedException)
        {
            // output arriving after Dispose
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
