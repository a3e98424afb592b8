using System.Text;
using ActorNet.Chat.Protocol;
using Xunit;

namespace ActorNet.Chat.Tests.Protocol;

public sealed class IrcParserLimitsTests
{
    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string BodyOfLength(int n)
    {
        const string head = "PRIVMSG #c :";
        return head + new string('a', n - head.Length);
    }

    [Fact]
    public void Body_of_exactly_510_bytes_parses()
    {
        var line = BodyOfLength(510);
        Assert.Equal(510, Bytes(line).Length);
        Assert.True(IrcParser.TryParse(Bytes(line), out var m, out _));
        Assert.Equal(498, m.Params[1].Length);
    }

    [Fact]
    public void Body_of_511_bytes_is_input_too_long()
    {
        Assert.False(IrcParser.TryParse(Bytes(BodyOfLength(511)), out var m, out var error));
        Assert.Null(m);
        Assert.Equal(IrcParseError.InputTooLong, error);
    }

    [Fact]
    public void Body_limit_excludes_the_tags()
    {
        var tags = "@a=" + new string('x', 5000) + " ";
        Assert.True(IrcParser.TryParse(Bytes(tags + BodyOfLength(510)), out var m, out _));
        Assert.Equal(5000, m.GetTag("a")!.Length);

        Assert.False(IrcParser.TryParse(Bytes(tags + BodyOfLength(511)), out _, out var error));
        Assert.Equal(IrcParseError.InputTooLong, error);
    }

    [Fact]
    public void Body_limit_counts_bytes_not_chars()
    {
        // 'é' is two bytes: 12 + 2*249 = 510 bytes fits, one more char does not.
        Assert.True(IrcParser.TryParse(Bytes("PRIVMSG #c :" + new string('é', 249)), out _, out _));
        Assert.False(IrcParser.TryParse(Bytes("PRIVMSG #c :" + new string('é', 250)), out _, out var error));
        Assert.Equal(IrcParseError.InputTooLong, error);
    }

    [Fact]
    public void Tags_section_of_exactly_8191_bytes_parses_and_8192_does_not()
    {
        // '@' + "a=" + value + ' ' = 8191
        var value = new string('v', 8191 - 4);
        Assert.True(IrcParser.TryParse(Bytes("@a=" + value + " PING"), out var m, out _));
        Assert.Equal(value, m.GetTag("a"));

        Assert.False(IrcParser.TryParse(Bytes("@a=" + value + "v PING"), out _, out var error));
        Assert.Equal(IrcParseError.TagsTooLong, error);
    }

    [Fact]
    public void Client_input_tags_section_of_4096_bytes_parses_and_4097_is_tags_too_long()
    {
        // irctest message_tags testLengthLimits: '@' + tags + ' ' = 4096 is the most a client may send.
        var at = "@foo=bar;+baz=" + new string('a', 4081) + " TAGMSG #test";
        Assert.Equal(4096, at.IndexOf("TAGMSG", StringComparison.Ordinal));
        Assert.True(IrcParser.TryParse(Bytes(at), out var m, out _, IrcParser.MaxClientTagSectionBytes));
        Assert.Equal(new string('a', 4081), m.GetTag("+baz"));

        var over = "@foo=bar;+baz=" + new string('a', 4082) + " TAGMSG #test";
        Assert.False(IrcParser.TryParse(Bytes(over), out _, out var error, IrcParser.MaxClientTagSectionBytes));
        Assert.Equal(IrcParseError.TagsTooLong, error);
        Assert.True(IrcParser.TryParse(Bytes(over), out _, out _)); // within what a server may send
    }

    [Fact]
    public void Oversized_tags_without_a_space_are_tags_too_long()
    {
        Assert.False(IrcParser.TryParse(Bytes("@a=" + new string('v', 9000)), out _, out var error));
        Assert.Equal(IrcParseError.TagsTooLong, error);
    }

    [Fact]
    public void Invalid_utf8_is_decoded_lossily_with_replacement_chars()
    {
        byte[] line = [.. Bytes("PRIVMSG #c :"), 0xFF, 0xFE, (byte)' ', (byte)'o', (byte)'k'];
        Assert.True(IrcParser.TryParse(line, out var m, out _));
        Assert.Equal("\uFFFD\uFFFD ok", m.Params[1]);
    }

    [Fact]
    public void Truncated_and_overlong_sequences_become_replacement_chars()
    {
        byte[] truncated = [.. Bytes("PRIVMSG #c :x"), 0xC3];
        Assert.True(IrcParser.TryParse(truncated, out var m1, out _));
        Assert.Equal("x\uFFFD", m1.Params[1]);

        byte[] overlong = [.. Bytes("PRIVMSG #c :"), 0xC0, 0xAF];
        Assert.True(IrcParser.TryParse(overlong, out var m2, out _));
        Assert.All(m2.Params[1], c => Assert.Equal('\uFFFD', c));

        byte[] surrogate = [.. Bytes("PRIVMSG #c :"), 0xED, 0xA0, 0x80];
        Assert.True(IrcParser.TryParse(surrogate, out var m3, out _));
        Assert.DoesNotContain(m3.Params[1], char.IsSurrogate);
    }

    [Fact]
    public void Invalid_utf8_in_source_tags_and_middle_params_never_throws()
    {
        byte[] line =
        [
            (byte)'@', (byte)'k', (byte)'=', 0xFF, (byte)'\\', 0xC3, (byte)' ',
            (byte)':', 0xFE, (byte)'!', 0x80, (byte)' ',
            (byte)'N', (byte)'O', (byte)'T', (byte)'I', (byte)'C', (byte)'E', (byte)' ', 0xF0, 0x9F, (byte)' ', (byte)':', 0xE2,
        ];
        Assert.True(IrcParser.TryParse(line, out var m, out _));
        Assert.Equal("NOTICE", m.Command);
        Assert.Contains('\uFFFD', m.Source!);
        Assert.Contains('\uFFFD', m.GetTag("k")!);
        Assert.Equal(2, m.ParamCount);
    }

    [Fact]
    public void Valid_multibyte_text_is_preserved()
    {
        Assert.True(IrcParser.TryParse(Bytes(":nïck PRIVMSG #çhan :héllo 🙂 世界"), out var m, out _));
        Assert.Equal("nïck", m.Source);
        Assert.Equal(["#çhan", "héllo 🙂 世界"], m.Params);
    }
}
