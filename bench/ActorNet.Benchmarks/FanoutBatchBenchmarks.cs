using System.Text;
using ActorNet.Chat.Protocol;
using ActorNet.Config;
using ActorNet.Framing;
using Akka.IO;
using BenchmarkDotNet.Attributes;

namespace ActorNet.Benchmarks;

/// <summary>
/// A channel's batch of 64 relayed PRIVMSGs to every member's outbound queue (each with a write in flight, so the
/// frames are copied into its pending buffer), two ways: framed per member and per frame (the old
/// <c>Connection.SendMany</c> path), and as one shared <see cref="FrameBatch"/> framed once and copied per member as
/// block runs around the member's own message (<c>Connection.SendBatch</c>). Per op = one batch to all members;
/// time / (64 × Members) = per delivery.
/// </summary>
[MemoryDiagnoser]
public class FanoutBatchBenchmarks
{
    private const int BatchSize = 64;
    private ByteString[] _payloads = [];
    private OutboundQueue[] _queues = [];
    private static readonly IFrameEncoder CrLf = FrameCodecs.GetEncoder(FramingKind.Line, LineEnding.CrLf);

    /// <summary>Channel members the batch goes to.</summary>
    [Params(50, 200)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var buffer = new byte[IrcFormatter.MaxLineBytes];
        _payloads = Enumerable.Range(0, BatchSize).Select(i =>
        {
            var message = IrcMessage.FromSource($"bench{i}!bench{i}@127.0.0.1", "PRIVMSG", "#bench", new string('x', 64));
            var n = IrcFormatter.Format(message, buffer);
            return ByteString.CopyFrom(buffer, 0, n - 2); // without CRLF: the connection frames it
        }).ToArray();
        _queues = Enumerable.Range(0, Members).Select(_ => new OutboundQueue(CrLf, 64 << 20)).ToArray();
        foreach (var q in _queues)
            q.Enqueue("x"u8, out _); // one write in flight: the batch is copied into the pending buffer
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var q in _queues)
            q.Dispose();
    }

    /// <summary>Every member frames every frame of the batch (minus its own, frame m % 64).</summary>
    [Benchmark(Baseline = true)]
    public long Per_frame_framing_per_member()
    {
        long bytes = 0;
        for (var m = 0; m < _queues.Length; m++)
        {
            var q = _queues[m];
            for (var i = 0; i < _payloads.Length; i++)
                if (i != m % BatchSize)
                    q.Enqueue(_payloads[i].ToReadOnlySpan(), out _);
            bytes += Drain(q);
        }
        return bytes;
    }

    /// <summary>The batch framed once; every member copies the two runs around its own frame.</summary>
    [Benchmark]
    public long Shared_batch_block_copies()
    {
        var encoded = new FrameBatch(_payloads).EncodedWith(CrLf);
        long bytes = 0;
        for (var m = 0; m < _queues.Length; m++)
        {
            var q = _queues[m];
            var own = m % BatchSize;
            var start = encoded.Start(own);
            q.Enqueue(encoded.Data.AsSpan(0, start), FrameCodecs.GetEncoder(FramingKind.Raw, LineEnding.Lf), out _, defer: true);
            q.Enqueue(encoded.Data.AsSpan(encoded.Ends[own]), FrameCodecs.GetEncoder(FramingKind.Raw, LineEnding.Lf), out _, defer: true);
            bytes += Drain(q);
        }
        return bytes;
    }

    /// <summary>Keeps the pending buffer small and a write in flight, as a busy connection's queue is.</summary>
    private static long Drain(OutboundQueue q)
    {
        if (q.PendingBytes <= 32 * 1024) return 0;
        var sent = q.OnAck()?.Count ?? 0;
        q.OnAck();
        q.Enqueue("x"u8, out _);
        return sent;
    }
}
