using Xunit;
using ActorNet.Config;
using ActorNet.Framing;
using static ActorNet.Core.Tests.Framing.FramingTestUtil;

namespace ActorNet.Core.Tests.Framing;

public class LineFramingTests
{
    [Fact]
    public void Splits_lines_and_strips_cr_before_lf()
    {
        var (status, frames) = DecodeBothWays(FramingKind.Line, 100, B("hello\r\nworld\nbare\rcr\n"));
        Assert.Equal(DecodeStatus.Ok, status);
        Assert.Equal(["hello", "world", "bare\rcr"], frames);
    }

    [Fact]
    public void Empty_lines_are_empty_frames()
    {
        var (status, frames) = DecodeBothWays(FramingKind.Line, 10, B("\n\r\n\nx\n"));
        Assert.Equal(DecodeStatus.Ok, status);
        Assert.Equal(["", "", "", "x"], frames);
    }

    [Fact]
    public void Only_one_cr_is_stripped()
    {
        var (_, frames) = DecodeBothWays(FramingKind.Line, 10, B("a\r\r\n"));
        Assert.Equal(["a\r"], frames);
    }

    [Fact]
    public void Partial_line_is_buffered_until_its_lf()
    {
        using var d = FrameCodecs.CreateDecoder(FramingKind.Line, 100);
        var frames = new List<Akka.IO.ByteString>();
        Assert.Equal(DecodeStatus.Ok, d.Decode(B("one\ntw"), frames));
        Assert.Equal(["one"], frames.Select(S));
        Assert.Equal(2, d.BufferedBytes);
        Assert.Equal(DecodeStatus.Ok, d.Decode(B("o\r"), frames));
        Assert.Equal(4, d.BufferedBytes);
        Assert.Equal(DecodeStatus.Ok, d.Decode(B("\nthree\n"), frames));
        Assert.Equal(["one", "two", "three"], frames.Select(S));
        Assert.Equal(0, d.BufferedBytes);
    }

    [Fact]
    public void Cr_at_end_of_buffer_is_stripped_when_lf_arrives_alone()
    {
        using var d = FrameCodecs.CreateDecoder(FramingKind.Line, 3);
        var frames = new List<Akka.IO.ByteString>();
        Assert.Equal(DecodeStatus.Ok, d.Decode(B("abc\r"), frames));
        Assert.Equal(DecodeStatus.Ok, d.Decode(B("\n"), frames));
        Assert.Equal(["abc"], frames.Select(S));
    }

    [Theory]
    [InlineData("abcd\n")]
    [InlineData("abcd\r\n")]
    [InlineData("\r\r\r\r\r\n")]
    public void Line_of_exactly_max_bytes_is_accepted(string input)
    {
        var (status, frames) = DecodeBothWays(FramingKind.Line, 4, B(input));
        Assert.Equal(DecodeStatus.Ok, status);
        Assert.Equal(4, Assert.Single(frames).Length);
    }

    [Theory]
    [InlineData("abcde\n")]
    [InlineData("abcde\r\n")]
    [InlineData("ok\nabcde\n")]
    public void Line_over_max_is_too_long(string input)
    {
        var (status, _) = DecodeBothWays(FramingKind.Line, 4, B(input));
        Assert.Equal(DecodeStatus.FrameTooLong, status);
    }

    [Fact]
    public void Endless_line_is_cut_without_waiting_for_lf()
    {
        using var d = FrameCodecs.CreateDecoder(FramingKind.Line, 8);
        var frames = new List<Akka.IO.ByteString>();
        Assert.Equal(DecodeStatus.Ok, d.Decode(B("12345678"), frames));
        Assert.Equal(8, d.BufferedBytes);
        Assert.Equal(DecodeStatus.FrameTooLong, d.Decode(B("9"), frames));
        Assert.Empty(frames);
        // sticky: the decoder keeps refusing
        Assert.Equal(DecodeStatus.FrameTooLong, d.Decode(B("\n"), frames));
        Assert.Empty(frames);
    }

    [Fact]
    public void Trailing_cr_may_wait_one_byte_beyond_max()
    {
        using var d = FrameCodecs.CreateDecoder(FramingKind.Line, 8);
        var frames = new List<Akka.IO.ByteString>();
        Assert.Equal(DecodeStatus.Ok, d.Decode(B("12345678\r"), frames));
        Assert.Equal(9, d.BufferedBytes);
        Assert.Equal(DecodeStatus.FrameTooLong, d.Decode(B("x"), frames));
    }

    [Fact]
    public void Endless_line_in_one_big_input_is_cut_and_nothing_buffered()
    {
        using var d = FrameCodecs.CreateDecoder(FramingKind.Line, 16);
        var frames = new List<Akka.IO.ByteString>();
        Assert.Equal(DecodeStatus.FrameTooLong, d.Decode(new byte[1_000_000], frames));
        Assert.Equal(0, d.BufferedBytes);
    }

    [Fact]
    public void Frames_before_the_bad_line_are_still_delivered()
    {
        using var d = FrameCodecs.CreateDecoder(FramingKind.Line, 4);
        var frames = new List<Akka.IO.ByteString>();
        Assert.Equal(DecodeStatus.FrameTooLong, d.Decode(B("a\nbb\ntoolong\nc\n"), frames));
        Assert.Equal(["a", "bb"], frames.Select(S));
    }

    [Fact]
    public void Frames_are_independent_copies_of_the_input()
    {
        using var d = FrameCodecs.CreateDecoder(FramingKind.Line, 100);
        var frames = new List<Akka.IO.ByteString>();
        var input = B("abc\nde");
        d.Decode(input, frames);
        var input2 = B("f\n");
        d.Decode(input2, frames);
        Array.Fill(input, (byte)'z');
        Array.Fill(input2, (byte)'z');
        Assert.Equal(["abc", "def"], frames.Select(S));
    }

    [Theory]
    [InlineData(LineEnding.Lf, "hi\n")]
    [InlineData(LineEnding.CrLf, "hi\r\n")]
    public void Encoder_appends_the_line_ending(LineEnding ending, string expected)
    {
        var encoder = FrameCodecs.GetEncoder(FramingKind.Line, ending);
        Assert.Equal(expected.Length, encoder.FramedLength(2));
        Assert.Equal(B(expected), Encode(encoder, B("hi")));
    }

    [Fact]
    public void Encoder_refuses_a_too_small_destination()
    {
        var encoder = FrameCodecs.GetEncoder(FramingKind.Line, LineEnding.CrLf);
        Assert.Throws<ArgumentException>(() => encoder.Encode(B("abc"), new byte[4]));
    }
}
