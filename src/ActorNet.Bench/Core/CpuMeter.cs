using System.Diagnostics;

namespace ActorNet.Bench.Core;

/// <summary>The bench process's own CPU use over a span of wall time (cores busy = CPU time / wall time).</summary>
public sealed class CpuMeter
{
    private readonly TimeSpan _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long _wallStart = Stopwatch.GetTimestamp();

    /// <summary>CPU seconds used by this process divided by wall seconds since construction.</summary>
    public double Cores()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpuStart;
        var wall = Stopwatch.GetElapsedTime(_wallStart);
        return wall.TotalSeconds <= 0 ? 0 : cpu.TotalSeconds / wall.TotalSeconds;
    }

    /// <summary>CPU seconds (user + system) another process has used so far, from /proc/PID/stat; 0 when unreadable
    /// (not Linux, or the process is gone). Why: the server's CPU per byte moved is a steadier A/B measure than its
    /// throughput on a shared 2-core machine, where the bench client competes for the same cores.</summary>
    public static double ProcessCpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // fields after the ")" closing the command name: state is field 3, utime 14, stime 15 (proc(5))
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            const double ticksPerSecond = 100; // USER_HZ: 100 on every Linux ABI .NET runs on
            return (long.Parse(rest[11]) + long.Parse(rest[12])) / ticksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}

/// <summary>A live progress line on stderr, rewritten twice a second until disposed.</summary>
public sealed class ProgressLine : IDisposable
{
    private readonly TextWriter _stderr;
    private readonly Func<string> _text;
    private readonly Timer? _timer;
    private int _written;

    public ProgressLine(TextWriter stderr, bool enabled, Func<string> text)
    {
        _stderr = stderr;
        _text = text;
        if (enabled)
            _timer = new Timer(_ => Tick(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    private void Tick()
    {
        string line;
        try { line = _text(); }
        catch (InvalidOperationException) { return; }
        lock (_stderr)
            _stderr.Write("\r" + line.PadRight(100));
        Interlocked.Exchange(ref _written, 1);
    }

    public void Dispose()
    {
        _timer?.Dispose();
        if (Volatile.Read(ref _written) == 1)
            lock (_stderr)
                _stderr.WriteLine();
    }
}
