using System.Text;
using ActorNet.Framing;
using Xunit;
using static ActorNet.Core.Tests.Framing.WebSocket.WebSocketTestUtil;
using Close = ActorNet.Framing.WebSocketAction.Close;
using Frame = ActorNet.Framing.WebSocketAction.Frame;
using HandshakeResponse = ActorNet.Framing.WebSocketAction.HandshakeResponse;
using Write = ActorNet.Framing.WebSocketAction.Write;

namespace ActorNet.Core.Tests.Framing.WebSocket;

public class WebSocketCodecTests
{
    private static string Str(Frame f) => Encoding.UTF8.GetString(f.Payload.ToArray());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Handshake_then_frames_in_the_same_read_or_byte_by_byte(bool byteAtATime)
    {
        using var codec = new WebSocketCodec(new WebSocketOptions(1024));
        var actions = Feed(codec, Concat(RequestBytes(protocols: "text.ircv3.net"), Text("NICK alice"), Text("JOIN #a")), byteAtATime);
        Assert.Collection(actions,
            a => Assert.Equal("text.ircv3.net", Assert.IsType<HandshakeResponse>(a).Subprotocol),
            a => Assert.Equal("NICK alice", Str(Assert.IsType<Frame>(a))),
            a => Assert.Equal("JOIN #a", Str(Assert.IsType<Frame>(a))));
        Assert.True(codec.HandshakeCompleted);
        Assert.Equal("text.ircv3.net", codec.Subprotocol);
        Assert.Equal(0, codec.BufferedBytes);
    }

    [Fact]
    public void A_refused_handshake_answers_and_closes_without_a_close_frame()
    {
        using var codec = new WebSocketCodec(new WebSocketOptions(1024, Path: "/irc"));
        var actions = Feed(codec, Concat(RequestBytes(path: "/"), Text("ignored")));
        Assert.Collection(actions,
            a =>
            {
                var r = Assert.IsType<HandshakeResponse>(a);
                Assert.False(r.Accepted);
                Assert.StartsWith("HTTP/1.1 404 ", Encoding.ASCII.GetString(r.Bytes.ToArray()));
            },
            a => Assert.True(Assert.IsType<Close>(a).Bytes.IsEmpty));
        Assert.False(codec.HandshakeCompleted);
        Assert.True(codec.IsClosed);
        Assert.Empty(Feed(codec, RequestBytes()));
    }

    [Fact]
    public void A_request_head_over_the_limit_is_refused()
    {
        using var codec = new WebSocketCodec(new WebSocketOptions(1024, MaxHandshakeBytes: 256));
        var actions = Feed(codec, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nX-Long: " + new string('a', 300)));
        Assert.StartsWith("HTTP/1.1 400 ", Encoding.ASCII.GetString(Assert.IsType<HandshakeResponse>(actions[0]).Bytes.ToArray()));
        Assert.IsType<Close>(actions[1]);
    }

    [Fact]
    public void Masked_text_and_binary_messages_are_unmasked()
    {
        using var codec = Open();
        var actions = Feed(codec, Concat(Text("héllo"), Frame(WebSocketOpcode.Binary, [0, 255, 7])));
        var text = Assert.IsType<Frame>(actions[0]);
        Assert.True(text.IsText);
        Assert.Equal("héllo", Str(text));
        var binary = Assert.IsType<Frame>(actions[1]);
        Assert.False(binary.IsText);
        Assert.Equal(new byte[] { 0, 255, 7 }, binary.Payload.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void Every_length_encoding_is_read(int length)
    {
        using var codec = Open(max: 100_000);
        var payload = Enumerable.Range(0, length).Select(i => (byte)('a' + i % 26)).ToArray();
        var frame = Assert.IsType<Frame>(Assert.Single(Feed(codec, Frame(WebSocketOpcode.Text, payload))));
        Assert.Equal(payload, frame.Payload.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fragments_are_reassembled_with_control_frames_between_them(bool byteAtATime)
    {
        using var codec = Open();
        var bytes = Concat(
            Text("PRIVMSG #a :he", fin: false),
            Frame(WebSocketOpcode.Ping, "p1"u8),
            Frame(WebSocketOpcode.Continuation, "llo "u8, fin: false),
            Frame(WebSocketOpcode.Pong, "x"u8),
            Frame(WebSocketOpcode.Continuation, "world"u8));
        var actions = Feed(codec, bytes, byteAtATime);
        Assert.Collection(actions,
            a =>
            {
                var (opcode, payload) = ParseServerFrame(Assert.IsType<Write>(a).Bytes.ToArray());
                Assert.Equal(WebSocketOpcode.Pong, opcode);
                Assert.Equal("p1"u8.ToArray(), payload);
            },
            a => Assert.Equal("PRIVMSG #a :hello world", Str(Assert.IsType<Frame>(a))));
    }

    [Fact]
    public void Ping_gets_a_pong_with_the_same_payload()
    {
        using var codec = Open();
        var write = Assert.IsType<Write>(Assert.Single(Feed(codec, Frame(WebSocketOpcode.Ping, "are you there"u8))));
        var (opcode, payload) = ParseServerFrame(write.Bytes.ToArray());
        Assert.Equal(WebSocketOpcode.Pong, opcode);
        Assert.Equal("are you there"u8.ToArray(), payload);
    }

    [Fact]
    public void Client_close_is_echoed_with_its_code()
    {
        using var codec = Open();
        var close = Assert.IsType<Close>(Assert.Single(Feed(codec, Concat(CloseFrame(1001, "bye"), Text("after")))));
        Assert.True(close.ClientInitiated);
        Assert.Equal(1001, close.Code);
        Assert.Contains("bye", close.Reason);
        Assert.Equal(1001, CloseCodeOf(close.Bytes.ToArray()));
        Assert.True(codec.IsClosed);
    }

    [Fact]
    public void Empty_client_close_is_answered_with_1000()
    {
        using var codec = Open();
        var close = Assert.IsType<Close>(Assert.Single(Feed(codec, Frame(WebSocketOpcode.Close, []))));
        Assert.Equal(WebSocketCloseCodes.Normal, close.Code);
        Assert.Equal(1000, CloseCodeOf(close.Bytes.ToArray()));
    }

    public static TheoryData<string, byte[], ushort> BadFrames() => new()
    {
        { "unmasked", Frame(WebSocketOpcode.Text, "hi"u8, masked: false), 1002 },
        { "reserved bit 1", Frame(WebSocketOpcode.Text, "hi"u8, rsv: 0x40), 1002 },
        { "reserved bit 3", Frame(WebSocketOpcode.Text, "hi"u8, rsv: 0x10), 1002 },
        { "opcode 3", Frame((WebSocketOpcode)3, "hi"u8), 1002 },
        { "opcode 0xB", Frame((WebSocketOpcode)0xB, []), 1002 },
        { "fragmented ping", Frame(WebSocketOpcode.Ping, "x"u8, fin: false), 1002 },
        { "fragmented close", Frame(WebSocketOpcode.Close, [3, 232], fin: false), 1002 },
        { "ping over 125", Frame(WebSocketOpcode.Ping, new byte[126]), 1002 },
        { "continuation first", Frame(WebSocketOpcode.Continuation, "x"u8), 1002 },
        { "text inside a message", Concat(Text("a", fin: false), Text("b")), 1002 },
        { "close with 1 byte", Frame(WebSocketOpcode.Close, [3]), 1002 },
        { "close code 1005", CloseFrame(1005), 1002 },
        { "close code 999", CloseFrame(999), 1002 },
        { "close code 2000", CloseFrame(2000), 1002 },
        { "close reason not utf-8", Frame(WebSocketOpcode.Close, [3, 232, 0xC3, 0x28]), 1007 },
        { "invalid utf-8 text", Frame(WebSocketOpcode.Text, [0x68, 0xC3, 0x28]), 1007 },
        { "utf-8 split over fragments, truncated", Concat(Frame(WebSocketOpcode.Text, [0xE2, 0x82], fin: false), Frame(WebSocketOpcode.Continuation, [])), 1007 },
        { "length with the top bit set", Concat([0x81, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0], new byte[4]), 1002 },
        { "message over max (16-bit length)", Frame(WebSocketOpcode.Text, new byte[300]), 1009 },
        { "message over max across fragments", Concat(Text(new string('a', 200), fin: false), Frame(WebSocketOpcode.Continuation, new byte[57])), 1009 },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public void Bad_frames_close_with_the_right_code(string name, byte[] bytes, ushort code)
    {
        foreach (var byteAtATime in new[] { false, true })
        {
            using var codec = Open(max: 256);
            var actions = Feed(codec, Concat(bytes, Text("never delivered")), byteAtATime);
            var close = Assert.IsType<Close>(actions.Last());
            Assert.False(close.ClientInitiated);
            Assert.True(code == close.Code, $"{name}: expected {code}, got {close.Code} ({close.Reason})");
            Assert.Equal(code, CloseCodeOf(close.Bytes.ToArray()));
            Assert.DoesNotContain(actions, a => a is Frame f && Str(f) == "never delivered");
            Assert.True(codec.IsClosed);
            Assert.Equal(0, codec.BufferedBytes);
        }
    }

    [Fact]
    public void Split_utf8_character_across_fragments_is_valid()
    {
        using var codec = Open();
        var euro = "€"u8.ToArray();
        var actions = Feed(codec, Concat(Frame(WebSocketOpcode.Text, euro[..1], fin: false), Frame(WebSocketOpcode.Continuation, euro[1..])));
        Assert.Equal("€", Str(Assert.IsType<Frame>(Assert.Single(actions))));
    }

    [Fact]
    public void An_oversize_message_is_refused_from_its_header_before_any_payload_arrives()
    {
        using var codec = Open(max: 1000);
        var header = Frame(WebSocketOpcode.Binary, [], declaredLength: 10_000_000)[..14]; // 2 + 8 length + 4 mask
        var close = Assert.IsType<Close>(Assert.Single(Feed(codec, header)));
        Assert.Equal(WebSocketCloseCodes.MessageTooBig, close.Code);
        Assert.Equal(0, codec.BufferedBytes);
    }

    [Fact]
    public void A_message_of_exactly_max_bytes_is_accepted()
    {
        using var codec = Open(max: 256);
        var frame = Assert.IsType<Frame>(Assert.Single(Feed(codec, Frame(WebSocketOpcode.Binary, new byte[256]))));
        Assert.Equal(256, frame.Payload.Count);
    }
}
