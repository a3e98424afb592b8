using System.Text;
using ActorNet.Chat.Protocol;
using ActorNet.Config;
using ActorNet.Framing;
using BenchmarkDotNet.Attributes;

namespace ActorNet.Benchmarks;

/// <summary>The IRC parser and formatter on a typical PRIVMSG, and fan-out encoding to N members' queues.</summary>
[MemoryDiagnoser]
public class IrcBenchmarks
{
    private byte[] _privmsg = [];
    private IrcMessage _message = null!;
    private readonly byte[] _buffer = new byte[IrcFormatter.MaxLineBytes];
    private OutboundQueue[] _queues = [];

    /// <summary>Channel members a message is fanned out to.</summary>
    [Params(50, 200)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _privmsg = Encoding.ASCII.GetBytes("PRIVMSG #bench :" + new string('x', 100));
        _message = IrcMessage.FromSource("bench42!bench42@127.0.0.1", "PRIVMSG", "#bench", new string('x', 100));
        var encoder = FrameCodecs.GetEncoder(FramingKind.Line, LineEnding.CrLf);
        _queues = Enumerable.Range(0, Members).Select(_ => new OutboundQueue(encoder, 64 << 20)).ToArray();
        foreach (var q in _queues)
            q.Enqueue("x"u8, out _);   // one write in flight: later frames coalesce into the pending buffer
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var q in _queues)
            q.Dispose();
    }

    /// <summary>Parse one client PRIVMSG line (what the chat handler does per received frame).</summary>
    [Benchmark]
    public int Parse_privmsg() =>
        IrcParser.TryParse(_privmsg, out var msg, out _) ? msg.ParamCount : -1;

    /// <summary>Format one relayed PRIVMSG with a source prefix into a reused buffer.</summary>
    [Benchmark]
    public int Format_privmsg() => IrcFormatter.Format(_message, _buffer);

    /// <summary>
    /// Fan-out: format once, enqueue the same bytes into every member's outbound queue (write in flight, so each
    /// enqueue is a copy into the pending buffer). Allocated bytes per op / Members = bytes per delivery.
    /// </summary>
    [Benchmark]
    public int Fanout_format_once_enqueue_to_members()
    {
        int n = IrcFormatter.Format(_message, _buffer);
        var frame = _buffer.AsSpan(0, n);
        foreach (var q in _queues)
        {
            if (q.Enqueue(frame, out _) == OutboundQueue.Result.LimitExceeded || q.PendingBytes > 32 * 1024)
            {
                q.OnAck();          // drain: keep the pending buffer under OutboundQueue.RetainBytes (64 KiB)
                q.OnAck();
                q.Enqueue("x"u8, out _);
            }
        }
        return n;
    }
}
