using ActorNet.Chat.Protocol;
using Xunit;

namespace ActorNet.Chat.Tests.Protocol;

public sealed class IrcParserTests
{
    internal static IrcMessage P(string line)
    {
        Assert.True(IrcParser.TryParse(line, out var msg, out var error), $"'{line}' failed: {error}");
        Assert.Equal(IrcParseError.None, error);
        return msg;
    }

    [Fact]
    public void Simple_command_with_middle_params()
    {
        var m = P("foo bar baz asdf");
        Assert.Equal("FOO", m.Command);
        Assert.Null(m.Source);
        Assert.Empty(m.Tags);
        Assert.Equal(["bar", "baz", "asdf"], m.Params);
        Assert.Equal(3, m.ParamCount);
        Assert.Equal("asdf", m.Param(2));
        Assert.Null(m.Param(3));
        Assert.Null(m.Param(-1));
    }

    [Fact]
    public void Prefix_is_read_as_source()
    {
        var m = P(":coolguy!ag@127.0.0.1 PRIVMSG #chan :hey there");
        Assert.Equal("coolguy!ag@127.0.0.1", m.Source);
        Assert.Equal("PRIVMSG", m.Command);
        Assert.Equal(["#chan", "hey there"], m.Params);
    }

    [Theory]
    [InlineData("foo bar baz :asdf quux", 3, "asdf quux")]
    [InlineData("foo bar baz :", 3, "")]
    [InlineData("foo bar baz ::asdf", 3, ":asdf")]
    [InlineData(":coolguy foo bar baz :  asdf quux ", 3, "  asdf quux ")]
    [InlineData(":coolguy PRIVMSG bar :lol :) ", 2, "lol :) ")]
    [InlineData("foo bar baz :: ", 3, ": ")]
    public void Trailing_param_keeps_everything_after_the_colon(string line, int count, string trailing)
    {
        var m = P(line);
        Assert.Equal(count, m.ParamCount);
        Assert.Equal(trailing, m.Params[^1]);
    }

    [Fact]
    public void Empty_trailing_is_a_param_but_trailing_spaces_are_not()
    {
        Assert.Equal([""], P("AWAY :").Params);
        Assert.Empty(P(":src AWAY").Params);
        Assert.Empty(P(":src AWAY   ").Params);
    }

    [Fact]
    public void Colon_only_introduces_trailing_at_the_start_of_a_param()
    {
        Assert.Equal(["#chan", "a:b", "c d"], P("X #chan a:b :c d").Params);
        Assert.Equal(["#chan"], P(":src JOIN :#chan").Params);
    }

    [Theory]
    [InlineData(":gravel.mozilla.org 432  #momo :Erroneous Nickname: Illegal characters", "432", "#momo", "Erroneous Nickname: Illegal characters")]
    [InlineData(":services.esper.net MODE #foo-bar +o foobar  ", "MODE", "#foo-bar", "foobar")]
    [InlineData("   PING    a   b", "PING", "a", "b")]
    public void Runs_of_spaces_between_tokens_are_tolerated(string line, string command, string first, string last)
    {
        var m = P(line);
        Assert.Equal(command, m.Command);
        Assert.Equal(first, m.Params[0]);
        Assert.Equal(last, m.Params[^1]);
        Assert.DoesNotContain("", m.Params);
    }

    [Theory]
    [InlineData("privmsg", "PRIVMSG")]
    [InlineData("PrivMsg", "PRIVMSG")]
    [InlineData("001", "001")]
    [InlineData("433", "433")]
    public void Command_is_uppercased_and_numerics_kept(string command, string expected) =>
        Assert.Equal(expected, P(command + " x").Command);

    [Fact]
    public void Fifteenth_param_takes_the_rest_of_the_line()
    {
        var m = P("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16  17");
        Assert.Equal(15, m.ParamCount);
        Assert.Equal("14", m.Params[13]);
        Assert.Equal("15 16  17", m.Params[14]);

        var withColon = P("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 :a b");
        Assert.Equal(15, withColon.ParamCount);
        Assert.Equal("a b", withColon.Params[14]);

        var exactly = P("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
        Assert.Equal(15, exactly.ParamCount);
        Assert.Equal("15", exactly.Params[14]);

        var colonIn15th = P("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 ::x y");
        Assert.Equal(":x y", colonIn15th.Params[14]);
    }

    [Fact]
    public void Tags_are_parsed_with_and_without_values()
    {
        var m = P("@a=b;c=32;k;rt=ql7;h= foo");
        Assert.Equal(
            [new("a", "b"), new("c", "32"), new("k", null), new("rt", "ql7"), new("h", null)],
            m.Tags);
        Assert.Equal("FOO", m.Command);
        Assert.True(m.TryGetTag("k", out var k));
        Assert.Null(k);
        Assert.False(m.TryGetTag("missing", out _));
    }

    [Fact]
    public void Tags_with_vendor_keys_prefix_and_params()
    {
        var m = P("@tag1=value1;tag2;vendor1/tag3=value2;+vendor2/tag4 :irc.example.com COMMAND param1 param2 :param3 param3");
        Assert.Equal(4, m.Tags.Count);
        Assert.Equal("value2", m.GetTag("vendor1/tag3"));
        Assert.True(m.TryGetTag("+vendor2/tag4", out _));
        Assert.Equal("irc.example.com", m.Source);
        Assert.Equal(["param1", "param2", "param3 param3"], m.Params);
    }

    [Theory]
    [InlineData(@"b\\and\nk", "b\\and\nk")]
    [InlineData(@"72\s45", "72 45")]
    [InlineData(@"gh\:764", "gh;764")]
    [InlineData(@"a\r\n", "a\r\n")]
    [InlineData(@"value\", "value")]
    [InlineData(@"value\\", "value\\")]
    [InlineData(@"value\1", "value1")]
    [InlineData(@"\", null)]
    public void Tag_values_are_unescaped(string raw, string? expected) =>
        Assert.Equal(expected, P("@t=" + raw + " CMD").GetTag("t"));

    [Fact]
    public void Last_duplicate_tag_wins_and_empty_items_are_skipped()
    {
        var m = P("@tag1=1;;tag2=3;tag1=5; COMMAND");
        Assert.Equal(3, m.Tags.Count);
        Assert.Equal("5", m.GetTag("tag1"));
    }

    [Fact]
    public void Tags_and_prefix_with_extra_spaces()
    {
        var m = P("@a=b   :src   PRIVMSG   #c   :hi  there");
        Assert.Equal("b", m.GetTag("a"));
        Assert.Equal("src", m.Source);
        Assert.Equal(["#c", "hi  there"], m.Params);
    }

    [Theory]
    [InlineData("", IrcParseError.Empty)]
    [InlineData("   ", IrcParseError.Empty)]
    [InlineData(" \t ", IrcParseError.Empty)]
    [InlineData("@a=b", IrcParseError.NoCommand)]
    [InlineData("@a=b ", IrcParseError.NoCommand)]
    [InlineData(":src", IrcParseError.NoCommand)]
    [InlineData(":src   ", IrcParseError.NoCommand)]
    [InlineData("@a :src ", IrcParseError.NoCommand)]
    [InlineData("PRIV1MSG x", IrcParseError.InvalidCommand)]
    [InlineData("12 x", IrcParseError.InvalidCommand)]
    [InlineData("1234 x", IrcParseError.InvalidCommand)]
    [InlineData("PRIVMSG\u00e9 x", IrcParseError.InvalidCommand)]
    [InlineData(":src :x", IrcParseError.InvalidCommand)]
    public void Rejects_with_the_right_error(string line, IrcParseError expected)
    {
        Assert.False(IrcParser.TryParse(line, out var msg, out var error));
        Assert.Null(msg);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Parse_throws_format_exception_naming_the_error()
    {
        var ex = Assert.Throws<FormatException>(() => IrcParser.Parse("@a=b"));
        Assert.Contains(nameof(IrcParseError.NoCommand), ex.Message);
    }

    [Fact]
    public void Empty_prefix_gives_null_source()
    {
        var m = P(": PING x");
        Assert.Null(m.Source);
        Assert.Equal("PING", m.Command);
    }
}
