using System.Text;
using ActorNet.Config;
using ActorNet.Framing;
using Akka.IO;
using Xunit;

namespace ActorNet.Core.Tests.Framing;

public sealed class FrameBatchTests
{
    private static FrameBatch Batch(params string[] payloads) =>
        new(payloads.Select(p => ByteString.FromBytes(Encoding.UTF8.GetBytes(p))).ToArray());

    [Fact]
    public void Encoded_frames_lie_back_to_back_with_their_framing_and_their_offsets()
    {
        var batch = Batch("ab", "", "cde");
        var crlf = batch.EncodedWith(FrameCodecs.GetEncoder(FramingKind.Line, LineEnding.CrLf));

        Assert.Equal("ab\r\n\r\ncde\r\n", Encoding.UTF8.GetString(crlf.Data));
        Assert.Equal([4, 6, 11], crlf.Ends.ToArray());
        Assert.Equal([0, 4, 6], Enumerable.Range(0, 3).Select(crlf.Start));

        var prefixed = batch.EncodedWith(FrameCodecs.GetEncoder(FramingKind.LengthPrefixed, LineEnding.Lf));
        Assert.Equal([0, 0, 0, 2, (byte)'a', (byte)'b', 0, 0, 0, 0, 0, 0, 0, 3, (byte)'c', (byte)'d', (byte)'e'], prefixed.Data);
    }

    [Fact]
    public void The_encoding_is_computed_once_per_encoder_and_shared()
    {
        var batch = Batch("x", "y");
        var lf = FrameCodecs.GetEncoder(FramingKind.Line, LineEnding.Lf);
        var first = batch.EncodedWith(lf);

        Assert.Same(first, batch.EncodedWith(lf));
        var rawEncoder = FrameCodecs.GetEncoder(FramingKind.Raw, LineEnding.Lf);
        var raw = batch.EncodedWith(rawEncoder);
        Assert.Equal("xy", Encoding.UTF8.GetString(raw.Data));
        // members with different framings (IRC over TCP and over WebSocket) alternate: each encoding is kept
        Assert.Same(first, batch.EncodedWith(lf));
        Assert.Same(raw, batch.EncodedWith(rawEncoder));
        var crlf = FrameCodecs.GetEncoder(FramingKind.Line, LineEnding.CrLf);
        var prefixed = FrameCodecs.GetEncoder(FramingKind.LengthPrefixed, LineEnding.Lf);
        Assert.Same(batch.EncodedWith(crlf), batch.EncodedWith(crlf));
        Assert.Same(batch.EncodedWith(prefixed), batch.EncodedWith(prefixed));
        Assert.Same(first, batch.EncodedWith(lf));
    }

    [Fact]
    public void Encoding_from_many_threads_at_once_gives_the_same_bytes()
    {
        var batch = Batch(Enumerable.Range(0, 500).Select(i => "message " + i).ToArray());
        var lf = FrameCodecs.GetEncoder(FramingKind.Line, LineEnding.Lf);
        var results = new FrameBatch.Encoded[8];
        Parallel.For(0, results.Length, i => results[i] = batch.EncodedWith(lf));

        var expected = string.Concat(Enumerable.Range(0, 500).Select(i => "message " + i + "\n"));
        Assert.All(results, r => Assert.Equal(expected, Encoding.UTF8.GetString(r.Data)));
    }

    [Fact]
    public void Payloads_except_skips_the_given_indices_and_keeps_order()
    {
        var batch = Batch("a", "b", "c", "d", "e");
        string[] Texts(int[]? skip) => batch.PayloadsExcept(skip).Select(p => Encoding.UTF8.GetString(p.ToArray())).ToArray();

        Assert.Equal(["a", "b", "c", "d", "e"], Texts(null));
        Assert.Equal(["b", "d"], Texts([0, 2, 4]));
        Assert.Empty(Texts([0, 1, 2, 3, 4]));
        // malformed lists: a repeated, negative or lower index is passed over, as the connection does
        Assert.Equal(["a", "c", "e"], Texts([1, 1, 3]));
        Assert.Equal(["a", "b", "d", "e"], Texts([-1, 2]));
        Assert.Equal(["a", "b", "c", "e"], Texts([3, 1]));
        Assert.Equal(["a", "b", "c", "d", "e"], Texts([7]));
        Assert.Equal(5, batch.Count);
        Assert.Equal("c", Encoding.UTF8.GetString(batch.Payload(2).ToArray()));
    }

    [Fact]
    public void Runs_are_the_fewest_ranges_around_the_skipped_frames()
    {
        var batch = Batch("a", "bb", "c", "dd", "e");
        var lf = batch.EncodedWith(FrameCodecs.GetEncoder(FramingKind.Line, LineEnding.Lf)); // "a\nbb\nc\ndd\ne\n"
        string[] RunsOf(int[]? skip, out int frames)
        {
            var runs = new List<ArraySegment<byte>>();
            frames = lf.Runs(skip, runs);
            return runs.Select(r => Encoding.UTF8.GetString(r)).ToArray();
        }

        Assert.Equal(["a\nbb\nc\ndd\ne\n"], RunsOf(null, out var all));
        Assert.Equal(5, all);
        Assert.Equal(["a\n", "c\n", "e\n"], RunsOf([1, 3], out var three));
        Assert.Equal(3, three);
        Assert.Equal(["bb\nc\ndd\n"], RunsOf([0, 4, 4, -2], out var middle)); // repeated and negative ignored
        Assert.Equal(3, middle);
        Assert.Empty(RunsOf([0, 1, 2, 3, 4], out var none));
        Assert.Equal(0, none);

        var raw = Batch("x", "", "y").EncodedWith(FrameCodecs.GetEncoder(FramingKind.Raw, LineEnding.Lf));
        var rawRuns = new List<ArraySegment<byte>>();
        Assert.Equal(2, raw.Runs([0], rawRuns)); // frames "" and "y": the empty one adds no bytes
        Assert.Equal(["y"], rawRuns.Select(r => Encoding.UTF8.GetString(r)));
    }
}
