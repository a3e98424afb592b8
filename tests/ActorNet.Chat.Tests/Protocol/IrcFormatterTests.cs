using System.Text;
using System.Text.Unicode;
using ActorNet.Chat.Protocol;
using Xunit;

namespace ActorNet.Chat.Tests.Protocol;

public sealed class IrcFormatterTests
{
    private static string Wire(IrcMessage m) => Encoding.UTF8.GetString(IrcFormatter.ToBytes(m));

    private static int BodyBytes(byte[] wire)
    {
        var start = wire[0] == (byte)'@' ? Array.IndexOf(wire, (byte)' ') + 1 : 0;
        return wire.Length - start;
    }

    [Theory]
    [InlineData("PING x\r\n", "PING", "x")]
    [InlineData("JOIN #c\r\n", "JOIN", "#c")]
    [InlineData("PRIVMSG #c :hello world\r\n", "PRIVMSG", "#c", "hello world")]
    [InlineData("AWAY :\r\n", "AWAY", "")]
    [InlineData("PRIVMSG #c ::)\r\n", "PRIVMSG", "#c", ":)")]
    [InlineData("QUIT\r\n", "QUIT")]
    [InlineData("MODE #c +o nick\r\n", "mode", "#c", "+o", "nick")]
    public void Formats_params_with_trailing_only_when_needed(string expected, string command, params string[] ps) =>
        Assert.Equal(expected, Wire(IrcMessage.Create(command, ps)));

    [Fact]
    public void Formats_source_and_numeric()
    {
        var m = IrcMessage.FromSource("irc.example.net", Numerics.RPL_WELCOME, "nick", "Welcome to the network nick");
        Assert.Equal(":irc.example.net 001 nick :Welcome to the network nick\r\n", Wire(m));
        Assert.Equal(":irc.example.net 001 nick :Welcome to the network nick", m.ToString());
        Assert.Equal(Wire(m), IrcFormatter.ToLine(m, includeCrlf: true));
    }

    [Fact]
    public void Formats_tags_with_escaping_and_skips_invalid_keys()
    {
        KeyValuePair<string, string?>[] tags =
        [
            new("time", "2024-01-02T03:04:05.006Z"), new("a", "b c;d\\e\r\nf"), new("flag", null),
            new("empty", ""), new("bad key", "x"), new("", "y"), new("+example.com/x-y", "1"),
        ];
        var m = new IrcMessage(tags, "n!u@h", "PRIVMSG", ["#c", "hi"]);
        Assert.Equal(
            "@time=2024-01-02T03:04:05.006Z;a=b\\sc\\:d\\\\e\\r\\nf;flag;empty;+example.com/x-y=1 :n!u@h PRIVMSG #c hi\r\n",
            Wire(m));
    }

    [Fact]
    public void Message_with_only_invalid_tags_has_no_tags_section() =>
        Assert.Equal("PING x\r\n", Wire(new IrcMessage([new("bad key", "v")], null, "PING", ["x"])));

    [Fact]
    public void Long_trailing_is_cut_to_512_bytes()
    {
        var m = IrcMessage.FromSource("server", "PRIVMSG", "#c", new string('a', 2000));
        var wire = IrcFormatter.ToBytes(m);
        Assert.Equal(512, wire.Length);
        Assert.Equal("\r\n"u8.ToArray(), wire[^2..]);
        var back = IrcParser.Parse(Encoding.UTF8.GetString(wire, 0, wire.Length - 2));
        Assert.StartsWith("aaa", back.Params[1]);
    }

    [Fact]
    public void Cut_last_param_without_space_gets_a_colon()
    {
        var m = IrcMessage.Create("PRIVMSG", "#c", new string('a', 600));
        var wire = IrcFormatter.ToBytes(m);
        Assert.StartsWith("PRIVMSG #c :aaa", Encoding.ASCII.GetString(wire));
    }

    [Theory]
    [InlineData("é")]
    [InlineData("世")]
    [InlineData("🙂")]
    public void Cut_never_splits_a_utf8_sequence(string unit)
    {
        for (var pad = 0; pad < 4; pad++)
        {
            var text = new string('p', pad) + string.Concat(Enumerable.Repeat(unit, 400));
            var wire = IrcFormatter.ToBytes(IrcMessage.Create("PRIVMSG", "#c", text));
            Assert.True(wire.Length <= 512);
            Assert.True(wire.Length >= 512 - 4 + 1, $"too much cut: {wire.Length}");
            Assert.True(Utf8.IsValid(wire));
            var back = IrcParser.Parse(Encoding.UTF8.GetString(wire, 0, wire.Length - 2));
            Assert.StartsWith(back.Params[1], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Tags_do_not_count_toward_the_512_limit_but_are_dropped_past_8191()
    {
        var big = new string('v', 4000);
        var m = new IrcMessage(
            [new("a", big), new("b", big), new("c", big)], null, "PRIVMSG", ["#c", new string('x', 1000)]);
        var wire = IrcFormatter.ToBytes(m);
        var space = Array.IndexOf(wire, (byte)' ');
        Assert.True(space + 1 <= IrcParser.MaxTagSectionBytes);
        Assert.Equal(512, BodyBytes(wire));
        var back = IrcParser.Parse(Encoding.UTF8.GetString(wire, 0, wire.Length - 2));
        Assert.Equal(["a", "b"], back.Tags.Select(t => t.Key));
    }

    [Fact]
    public void Line_breaks_and_nul_are_removed_so_no_injection_is_possible()
    {
        var m = IrcMessage.FromSource("s\r\n", "PRIVMSG", "#c\r\nQUIT", "hi\r\nKILL x\0");
        var wire = Wire(m);
        Assert.Equal(":s PRIVMSG #cQUIT :hiKILL x\r\n", wire);
        Assert.Equal(wire.Length - 2, wire.IndexOf('\r'));
    }

    [Fact]
    public void Unrepresentable_middle_params_are_altered_not_corrupting_the_line()
    {
        var wire = Wire(IrcMessage.Create("MODE", "", "a b", ":x", "last one"));
        Assert.Equal("MODE * a_b _x :last one\r\n", wire);
        Assert.Equal(4, IrcParser.Parse(wire.TrimEnd()).ParamCount);
    }

    [Fact]
    public void Format_and_TryFormat_respect_the_destination_size()
    {
        var m = IrcMessage.Create("PING", "token");
        Span<byte> exact = stackalloc byte[12];
        Assert.Equal(12, IrcFormatter.Format(m, exact));
        Assert.Equal("PING token\r\n"u8.ToArray(), exact.ToArray());

        Assert.False(IrcFormatter.TryFormat(m, new byte[11], out var written));
        Assert.Equal(0, written);
        Assert.Throws<ArgumentException>(() => IrcFormatter.Format(m, new byte[11]));

        var big = new byte[IrcFormatter.MaxLineBytes];
        Assert.Equal(12, IrcFormatter.Format(m, big));
    }

    [Fact]
    public void Lone_surrogates_are_encoded_as_replacement_chars()
    {
        var wire = IrcFormatter.ToBytes(IrcMessage.Create("PRIVMSG", "#c", "a\uD800b"));
        Assert.True(Utf8.IsValid(wire));
        Assert.Equal("PRIVMSG #c a\uFFFDb\r\n", Encoding.UTF8.GetString(wire));
    }

    [Theory]
    [InlineData("PRIVMSG #c :hello world")]
    [InlineData(":n!u@h PRIVMSG #c ::-)")]
    [InlineData("@a=b\\sc;d :srv 005 nick A=1 B :are supported by this server")]
    [InlineData("AWAY :")]
    [InlineData("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 :15 16")]
    [InlineData(":s 353 me = #c :@op +voice plain")]
    public void Parse_format_parse_round_trips(string line)
    {
        var m = IrcParser.Parse(line);
        var again = IrcParser.Parse(IrcFormatter.ToLine(m));
        Assert.Equal(m, again);
        Assert.Equal(line, IrcFormatter.ToLine(m));
    }
}
