using System.Text;
using ActorNet.Config;
using ActorNet.Framing;
using Akka.IO;
using FsCheck.Xunit;
using Xunit;
using static ActorNet.Core.Tests.Framing.FramingTestUtil;

namespace ActorNet.Core.Tests.Framing;

/// <summary>
/// The decoders' one-allocation-per-read output: frames sliced out of one copy of a span input, or out of a
/// ByteString input itself. Same frames and statuses as before, never aliasing memory the caller reuses.
/// </summary>
[Properties(MaxTest = 300, Replay = "20261124,1903")]
public class FrameSlicingTests
{
    private static readonly FramingKind[] Kinds = [FramingKind.Line, FramingKind.LengthPrefixed, FramingKind.Raw];

    private static byte[] Spicy(byte[] input) =>
        input.Select(b => (b % 5) switch { 0 => (byte)'\n', 1 => (byte)'\r', 2 => (byte)0, 3 => (byte)'a', _ => b }).ToArray();

    [Property]
    public void ByteString_input_gives_the_same_frames_and_status_as_span_input(byte[] raw, int[] cuts, byte maxSeed, bool spicy)
    {
        var input = spicy ? Spicy(raw) : raw;
        int max = 1 + maxSeed % 24;
        foreach (var kind in Kinds)
        {
            using var bySpan = FrameCodecs.CreateDecoder(kind, max);
            using var byString = FrameCodecs.CreateDecoder(kind, max);
            var spanFrames = new List<ByteString>();
            var stringFrames = new List<ByteString>();
            foreach (var chunk in SplitAt(input, cuts))
            {
                var a = bySpan.Decode(chunk, spanFrames);
                // a ByteString over a slice of a larger array: offsets must be honoured
                var padded = new byte[chunk.Length + 6];
                chunk.CopyTo(padded, 3);
                var b = byString.Decode(ByteString.FromBytes(padded, 3, chunk.Length), stringFrames);
                Assert.Equal(a, b);
                Assert.Equal(bySpan.BufferedBytes, byString.BufferedBytes);
                if (a != DecodeStatus.Ok)
                    break;
            }
            Assert.Equal(spanFrames.Select(S), stringFrames.Select(S));
        }
    }

    [Fact]
    public void Span_input_frames_do_not_alias_the_input_even_when_it_is_reused()
    {
        using var decoder = FrameCodecs.CreateDecoder(FramingKind.Line, 100);
        var frames = new List<ByteString>();
        var buffer = B("one\r\ntwo\nthr");
        decoder.Decode(buffer, frames);
        Array.Fill(buffer, (byte)'z');
        var second = B("ee\nfour\n");
        decoder.Decode(second, frames);
        Array.Fill(second, (byte)'z');
        Assert.Equal(["one", "two", "three", "four"], frames.Select(S));
    }

    [Fact]
    public void ByteString_input_frames_are_slices_of_the_input()
    {
        using var decoder = FrameCodecs.CreateDecoder(FramingKind.LengthPrefixed, 100);
        var enc = FrameCodecs.GetEncoder(FramingKind.LengthPrefixed, LineEnding.Lf);
        var stream = Encode(enc, B("abc")).Concat(Encode(enc, B(""))).Concat(Encode(enc, B("defg"))).ToArray();
        var frames = new List<ByteString>();
        Assert.Equal(DecodeStatus.Ok, decoder.Decode(ByteString.FromBytes(stream), frames));
        Assert.Equal(["abc", "", "defg"], frames.Select(S));
        stream[4] = (byte)'X'; // the input is shared, not copied (callers must hand in an immutable ByteString)
        Assert.Equal("Xbc", S(frames[0]));
    }

    [Theory]
    [InlineData(FramingKind.Line, false)]
    [InlineData(FramingKind.Line, true)]
    [InlineData(FramingKind.LengthPrefixed, false)]
    [InlineData(FramingKind.LengthPrefixed, true)]
    public void Decoding_many_small_frames_allocates_one_array_per_read_not_per_frame(FramingKind kind, bool byteString)
    {
        const int count = 500;
        var payload = Encoding.ASCII.GetBytes(new string('x', 62));
        var encoder = FrameCodecs.GetEncoder(kind, LineEnding.CrLf);
        var read = Enumerable.Range(0, count).SelectMany(_ => Encode(encoder, payload)).ToArray();
        var input = ByteString.FromBytes(read);
        using var decoder = FrameCodecs.CreateDecoder(kind, 1024);
        var frames = new List<ByteString>(count);
        Decode(); // warm up (JIT, list capacity)

        long before = GC.GetAllocatedBytesForCurrentThread();
        Decode();
        long perFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / count;

        Assert.Equal(count, frames.Count);
        // per frame: a ByteString + its one-segment array (72 B); span input adds its share of the one copy (the frame's
        // bytes, no array header). An array per frame, as before, cost 160 B/frame here.
        long limit = byteString ? 76 : 76 + read.Length / count;
        Assert.InRange(perFrame, 1, limit);

        void Decode()
        {
            frames.Clear();
            var status = byteString ? decoder.Decode(input, frames) : decoder.Decode(read, frames);
            Assert.Equal(DecodeStatus.Ok, status);
        }
    }
}
