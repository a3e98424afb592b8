using Xunit;
using ActorNet.Config;
using ActorNet.Framing;
using Akka.IO;
using FsCheck.Xunit;
using static ActorNet.Core.Tests.Framing.FramingTestUtil;

namespace ActorNet.Core.Tests.Framing;

/// <summary>
/// Random inputs and random split points. The seed is fixed so that runs are reproducible; change Replay (or remove
/// it locally) to explore other cases.
/// </summary>
[Properties(MaxTest = 300, Replay = "20261124,1501")]
public class FramingPropertyTests
{
    private static readonly FramingKind[] Kinds = [FramingKind.Line, FramingKind.LengthPrefixed, FramingKind.Raw];

    /// <summary>Maps random bytes onto an alphabet rich in the bytes framing cares about.</summary>
    private static byte[] Spicy(byte[] input) =>
        input.Select(b => (b % 5) switch { 0 => (byte)'\n', 1 => (byte)'\r', 2 => (byte)0, 3 => (byte)'a', _ => b }).ToArray();

    private static int SmallMax(byte seed) => 1 + seed % 24;

    private static int Overhead(FramingKind kind) => kind switch
    {
        FramingKind.Line => 1,
        FramingKind.LengthPrefixed => 4,
        _ => 0,
    };

    [Property]
    public void Decoding_never_throws_and_is_independent_of_split_points(byte[] raw, int[] cuts, byte maxSeed, bool spicy)
    {
        var input = spicy ? Spicy(raw) : raw;
        int max = SmallMax(maxSeed);
        foreach (var kind in Kinds)
        {
            using var whole = FrameCodecs.CreateDecoder(kind, max);
            using var split = FrameCodecs.CreateDecoder(kind, max);
            var a = Feed(whole, [input]);
            var frames = new List<ByteString>();
            var status = DecodeStatus.Ok;
            foreach (var chunk in SplitAt(input, cuts))
            {
                status = split.Decode(chunk, frames);
                Assert.InRange(split.BufferedBytes, 0, max + Overhead(kind));
                if (status != DecodeStatus.Ok)
                    break;
            }
            Assert.Equal(a.Status, status);
            Assert.All(frames, f => Assert.InRange(f.Count, 0, max));
            if (kind == FramingKind.Raw)
                Assert.Equal(input, frames.SelectMany(f => f.ToArray()).ToArray());
            else
                Assert.Equal(a.Frames.Select(S), frames.Select(S));
        }
    }

    [Property]
    public void Length_prefixed_round_trips(byte[][] payloads, int[] cuts)
    {
        RoundTrip(FramingKind.LengthPrefixed, LineEnding.Lf, payloads.Where(p => p is not null).ToArray(), cuts);
    }

    [Property]
    public void Line_round_trips(byte[][] payloads, int[] cuts, bool crlf)
    {
        var ending = crlf ? LineEnding.CrLf : LineEnding.Lf;
        var lines = payloads
            .Where(p => p is not null)
            .Select(p => Spicy(p).Where(b => b != (byte)'\n').ToArray())
            .Select(p => ending == LineEnding.Lf ? TrimTrailingCr(p) : p)
            .ToArray();
        RoundTrip(FramingKind.Line, ending, lines, cuts);
    }

    [Property]
    public void Raw_round_trips_the_byte_stream(byte[][] payloads, int[] cuts, byte maxSeed)
    {
        int max = SmallMax(maxSeed);
        var encoder = FrameCodecs.GetEncoder(FramingKind.Raw, LineEnding.Lf);
        var stream = payloads.Where(p => p is not null).SelectMany(p => Encode(encoder, p)).ToArray();
        using var decoder = FrameCodecs.CreateDecoder(FramingKind.Raw, max);
        var (status, frames) = Feed(decoder, SplitAt(stream, cuts));
        Assert.Equal(DecodeStatus.Ok, status);
        Assert.All(frames, f => Assert.InRange(f.Count, 1, max));
        Assert.Equal(stream, frames.SelectMany(f => f.ToArray()).ToArray());
    }

    private static byte[] TrimTrailingCr(byte[] p)
    {
        int n = p.Length;
        while (n > 0 && p[n - 1] == (byte)'\r')
            n--;
        return p[..n];
    }

    private static void RoundTrip(FramingKind kind, LineEnding ending, byte[][] payloads, int[] cuts)
    {
        var encoder = FrameCodecs.GetEncoder(kind, ending);
        var stream = payloads.SelectMany(p => Encode(encoder, p)).ToArray();
        int max = Math.Max(1, payloads.Select(p => p.Length).DefaultIfEmpty(0).Max());

        using var split = FrameCodecs.CreateDecoder(kind, max);
        var (status, frames) = Feed(split, SplitAt(stream, cuts));
        Assert.Equal(DecodeStatus.Ok, status);
        Assert.Equal(0, split.BufferedBytes);
        Assert.Equal(payloads.Select(p => Convert.ToHexString(p)), frames.Select(f => Convert.ToHexString(f.ToArray())));

        using var bytewise = FrameCodecs.CreateDecoder(kind, max);
        var (status2, frames2) = Feed(bytewise, OneByteAtATime(stream));
        Assert.Equal(DecodeStatus.Ok, status2);
        Assert.Equal(payloads.Length, frames2.Count);
    }
}
