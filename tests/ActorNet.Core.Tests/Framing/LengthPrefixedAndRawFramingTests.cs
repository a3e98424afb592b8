using Xunit;
using ActorNet.Config;
using ActorNet.Framing;
using Akka.IO;
using static ActorNet.Core.Tests.Framing.FramingTestUtil;

namespace ActorNet.Core.Tests.Framing;

public class LengthPrefixedFramingTests
{
    private static byte[] Frame(uint length, string payload) =>
        [(byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, .. B(payload)];

    [Fact]
    public void Decodes_several_frames_including_empty_ones()
    {
        byte[] input = [.. Frame(3, "abc"), .. Frame(0, ""), .. Frame(5, "hello")];
        var (status, frames) = DecodeBothWays(FramingKind.LengthPrefixed, 16, input);
        Assert.Equal(DecodeStatus.Ok, status);
        Assert.Equal(["abc", "", "hello"], frames);
    }

    [Fact]
    public void Buffered_bytes_count_prefix_and_payload()
    {
        using var d = FrameCodecs.CreateDecoder(FramingKind.LengthPrefixed, 16);
        var frames = new List<ByteString>();
        var frame = Frame(4, "wxyz");
        Assert.Equal(DecodeStatus.Ok, d.Decode(frame.AsSpan(0, 2), frames));
        Assert.Equal(2, d.BufferedBytes);
        Assert.Equal(DecodeStatus.Ok, d.Decode(frame.AsSpan(2, 4), frames));
        Assert.Equal(6, d.BufferedBytes);
        Assert.Equal(DecodeStatus.Ok, d.Decode(frame.AsSpan(6), frames));
        Assert.Equal(0, d.BufferedBytes);
        Assert.Equal("wxyz", S(Assert.Single(frames)));
    }

    [Fact]
    public void Length_equal_to_max_is_accepted_and_over_max_is_too_long()
    {
        Assert.Equal(DecodeStatus.Ok, DecodeBothWays(FramingKind.LengthPrefixed, 4, Frame(4, "abcd")).Status);
        Assert.Equal(DecodeStatus.FrameTooLong, DecodeBothWays(FramingKind.LengthPrefixed, 4, Frame(5, "abcde")).Status);
    }

    [Fact]
    public void Too_long_is_reported_from_the_prefix_alone()
    {
        using var d = FrameCodecs.CreateDecoder(FramingKind.LengthPrefixed, 100);
        Assert.Equal(DecodeStatus.FrameTooLong, d.Decode(Frame(101, ""), []));
        Assert.Equal(DecodeStatus.FrameTooLong, d.Decode(Frame(1, "x"), []));
    }

    [Theory]
    [InlineData(0x8000_0000u)]
    [InlineData(0xFFFF_FFFFu)]
    public void Top_bit_set_is_invalid_length(uint length)
    {
        var (status, _) = DecodeBothWays(FramingKind.LengthPrefixed, int.MaxValue, Frame(length, ""));
        Assert.Equal(DecodeStatus.InvalidLength, status);
    }

    [Fact]
    public void Encoder_writes_big_endian_prefix()
    {
        var encoder = FrameCodecs.GetEncoder(FramingKind.LengthPrefixed, LineEnding.Lf);
        Assert.Equal(Frame(3, "abc"), Encode(encoder, B("abc")));
        var big = new byte[0x0102];
        Assert.Equal(new byte[] { 0, 0, 1, 2 }, Encode(encoder, big)[..4]);
    }
}

public class RawFramingTests
{
    [Fact]
    public void Each_input_is_chunked_by_max()
    {
        using var d = FrameCodecs.CreateDecoder(FramingKind.Raw, 4);
        var frames = new List<ByteString>();
        Assert.Equal(DecodeStatus.Ok, d.Decode(B("abcdefghij"), frames));
        Assert.Equal(DecodeStatus.Ok, d.Decode(B("kl"), frames));
        Assert.Equal(DecodeStatus.Ok, d.Decode([], frames));
        Assert.Equal(["abcd", "efgh", "ij", "kl"], frames.Select(S));
        Assert.Equal(0, d.BufferedBytes);
    }

    [Fact]
    public void Encoder_copies()
    {
        var encoder = FrameCodecs.GetEncoder(FramingKind.Raw, LineEnding.CrLf);
        Assert.Equal(B("a\nb"), Encode(encoder, B("a\nb")));
    }

    [Fact]
    public void Factory_rejects_non_positive_max()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameCodecs.CreateDecoder(FramingKind.Line, 0));
    }
}
