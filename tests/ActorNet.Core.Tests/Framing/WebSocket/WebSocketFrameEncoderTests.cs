using System.Text;
using ActorNet.Framing;
using Xunit;
using static ActorNet.Core.Tests.Framing.WebSocket.WebSocketTestUtil;

namespace ActorNet.Core.Tests.Framing.WebSocket;

public class WebSocketFrameEncoderTests
{
    private static (WebSocketOpcode, byte[]) EncodeWith(IFrameEncoder encoder, byte[] payload)
    {
        var buffer = new byte[encoder.FramedLength(payload.Length)];
        Assert.Equal(buffer.Length, encoder.Encode(payload, buffer));
        return ParseServerFrame(buffer);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(125, 2)]
    [InlineData(126, 4)]
    [InlineData(65535, 4)]
    [InlineData(65536, 10)]
    public void Text_frames_are_final_unmasked_with_the_shortest_length(int length, int header)
    {
        var payload = Enumerable.Repeat((byte)'x', length).ToArray();
        Assert.Equal(header + length, WebSocketFrameEncoder.Text.FramedLength(length));
        var (opcode, decoded) = EncodeWith(WebSocketFrameEncoder.Text, payload);
        Assert.Equal(WebSocketOpcode.Text, opcode);
        Assert.Equal(payload, decoded);
    }

    [Fact]
    public void A_payload_that_is_not_utf8_leaves_as_binary_even_on_the_text_encoder() =>
        Assert.Equal(WebSocketOpcode.Binary, EncodeWith(WebSocketFrameEncoder.Text, [0xC3, 0x28]).Item1);

    [Fact]
    public void The_binary_encoder_always_sends_binary() =>
        Assert.Equal(WebSocketOpcode.Binary, EncodeWith(WebSocketFrameEncoder.Binary, "PING x"u8.ToArray()).Item1);

    [Fact]
    public void Too_small_a_destination_throws() =>
        Assert.Throws<ArgumentException>(() => WebSocketFrameEncoder.Text.Encode("abc"u8, new byte[4]));

    [Fact]
    public void Close_frames_cut_long_reasons_to_125_bytes_on_a_character_boundary()
    {
        var frame = WebSocketFrames.Close(1001, new string('é', 100)).ToArray();
        var (opcode, payload) = ParseServerFrame(frame);
        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.True(payload.Length <= 125);
        Assert.Equal(1001, CloseCodeOf(frame));
        Assert.Equal(new string('é', 61), Encoding.UTF8.GetString(payload, 2, payload.Length - 2));
    }
}
