using System.Text;
using ActorNet.Config;
using ActorNet.Framing;
using Akka.IO;
using BenchmarkDotNet.Attributes;

namespace ActorNet.Benchmarks;

/// <summary>
/// Framing hot paths, per operation of 1,000 frames: the line and length-prefixed decoders on one 64 KiB-ish read
/// of many small frames (as a span, and as the immutable ByteString
/// Akka.IO delivers), and OutboundQueue enqueue + ack coalescing. Allocated bytes / 1,000 = bytes per frame.
/// </summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private const int Frames = 1000;
    private byte[] _lines = [];
    private byte[] _prefixed = [];
    private byte[] _payload = [];
    private ByteString _linesRead = ByteString.Empty;
    private ByteString _prefixedRead = ByteString.Empty;
    private readonly List<ByteString> _out = new(Frames);

    [GlobalSetup]
    public void Setup()
    {
        var line = Encoding.ASCII.GetBytes(new string('x', 62) + "\r\n");
        _lines = Enumerable.Range(0, Frames).SelectMany(_ => line).ToArray();
        _payload = Encoding.ASCII.GetBytes(new string('y', 64));
        var enc = FrameCodecs.GetEncoder(FramingKind.LengthPrefixed, LineEnding.Lf);
        _prefixed = new byte[Frames * enc.FramedLength(_payload.Length)];
        int pos = 0;
        for (int i = 0; i < Frames; i++)
            pos += enc.Encode(_payload, _prefixed.AsSpan(pos));
        _linesRead = ByteString.CopyFrom(_lines);
        _prefixedRead = ByteString.CopyFrom(_prefixed);
    }

    /// <summary>1,000 CRLF lines of 62 bytes in one read.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int LineDecoder_1000_small_lines()
    {
        using var decoder = FrameCodecs.CreateDecoder(FramingKind.Line, 8704);
        _out.Clear();
        decoder.Decode(_lines, _out);
        return _out.Count;
    }

    /// <summary>The same read handed over as an immutable ByteString (as Akka.IO's Tcp.Received is): zero-copy slices.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int LineDecoder_1000_small_lines_ByteString_read()
    {
        using var decoder = FrameCodecs.CreateDecoder(FramingKind.Line, 8704);
        _out.Clear();
        decoder.Decode(_linesRead, _out);
        return _out.Count;
    }

    /// <summary>1,000 length-prefixed frames of 64 bytes in one read.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int LengthPrefixedDecoder_1000_frames()
    {
        using var decoder = FrameCodecs.CreateDecoder(FramingKind.LengthPrefixed, 65536);
        _out.Clear();
        decoder.Decode(_prefixed, _out);
        return _out.Count;
    }

    /// <summary>The same read as an immutable ByteString: zero-copy slices.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int LengthPrefixedDecoder_1000_frames_ByteString_read()
    {
        using var decoder = FrameCodecs.CreateDecoder(FramingKind.LengthPrefixed, 65536);
        _out.Clear();
        decoder.Decode(_prefixedRead, _out);
        return _out.Count;
    }

    /// <summary>1,000 enqueues of a 64-byte payload, an ack after every 100: coalesced writes.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public long OutboundQueue_enqueue_and_ack_coalescing()
    {
        using var queue = new OutboundQueue(FrameCodecs.GetEncoder(FramingKind.Line, LineEnding.CrLf), 1 << 20);
        long bytes = 0;
        for (int i = 0; i < Frames; i++)
        {
            if (queue.Enqueue(_payload, out var write) == OutboundQueue.Result.WriteNow)
                bytes += write!.Count;
            if (i % 100 == 99 && queue.OnAck() is { } next)
                bytes += next.Count;
        }
        while (queue.WriteInFlight && queue.OnAck() is { } rest)
            bytes += rest.Count;
        return bytes;
    }
}
