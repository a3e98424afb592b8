using ActorNet.Chat.Protocol;
using Xunit;

namespace ActorNet.Chat.Tests.Protocol;

public sealed class IrcTagsTests
{
    [Theory]
    [InlineData("time", true)]
    [InlineData("+typing", true)]
    [InlineData("draft/reply", true)]
    [InlineData("+example.com/x-y", true)]
    [InlineData("", false)]
    [InlineData("+", false)]
    [InlineData("/x", false)]
    [InlineData("vendor/", false)]
    [InlineData("a b", false)]
    [InlineData("a=b", false)]
    [InlineData("a;b", false)]
    [InlineData("ven_dor/x", false)]
    public void Key_validation(string key, bool valid) => Assert.Equal(valid, IrcTags.IsValidKey(key));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a;b c\\d\re\nf", "a\\:b\\sc\\\\d\\re\\nf")]
    [InlineData("nul\0", "nul")]
    public void Escape(string value, string expected)
    {
        Assert.Equal(expected, IrcTags.Escape(value));
        Assert.Equal(value.Replace("\0", ""), IrcTags.Unescape(expected));
    }

    [Fact]
    public void Server_time_format()
    {
        var t = new DateTimeOffset(2011, 10, 19, 18, 40, 51, 620, TimeSpan.FromHours(2));
        Assert.Equal("2011-10-19T16:40:51.620Z", IrcTags.FormatTime(t));
        Assert.True(IrcTags.TryParseTime("2011-10-19T16:40:51.620Z", out var back));
        Assert.Equal(t, back);
        Assert.Equal(TimeSpan.Zero, back.Offset);
        Assert.False(IrcTags.TryParseTime("yesterday", out _));
        Assert.False(IrcTags.TryParseTime(null, out _));
    }

    [Fact]
    public void Server_time_tag_round_trips_through_the_wire()
    {
        var t = new DateTimeOffset(2024, 2, 29, 23, 59, 59, 999, TimeSpan.Zero);
        var m = IrcMessage.FromSource("n!u@h", "PRIVMSG", "#c", "hi").WithTag(IrcTags.TimeKey, IrcTags.FormatTime(t));
        var back = IrcParser.Parse(m.ToString());
        Assert.True(IrcTags.TryParseTime(back.GetTag(IrcTags.TimeKey), out var parsed));
        Assert.Equal(t, parsed);
    }

    [Fact]
    public void New_msgids_are_22_url_safe_characters_that_survive_a_tags_round_trip_and_differ()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => IrcTags.NewMsgId()).ToList();
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9_-]{22}$", id));
        var m = IrcParser.Parse("@msgid=" + ids[0] + " :a!b@c PRIVMSG #x :hi");
        Assert.Equal(ids[0], m.GetTag(IrcTags.MsgIdKey));
    }
}
