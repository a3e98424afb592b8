using ActorNet.Chat.Protocol;
using Xunit;

namespace ActorNet.Chat.Tests.Protocol;

public sealed class ISupportTests
{
    private static readonly ISupportSettings Defaults = new("ActorNet");

    [Fact]
    public void Default_tokens()
    {
        Assert.Equal(
            [
                "AWAYLEN=200", "CASEMAPPING=rfc1459", "CHANLIMIT=#&:20", "CHANMODES=b,k,l,imnpst", "CHANNELLEN=50",
                "CHANTYPES=#&", "KICKLEN=255", "MODES=4", "NETWORK=ActorNet", "NICKLEN=30", "PREFIX=(ov)@+", "TOPICLEN=390",
            ],
            ISupport.Tokens(Defaults));
    }

    [Fact]
    public void Settings_change_tokens()
    {
        var s = Defaults with
        {
            NetworkName = "My Net", CaseMapping = CaseMapping.Ascii, ChanLimit = 0, NickLen = 16, Extra = ["SAFELIST", ""],
        };
        var tokens = ISupport.Tokens(s);
        Assert.Contains("NETWORK=My\\x20Net", tokens);
        Assert.Contains("CASEMAPPING=ascii", tokens);
        Assert.Contains("NICKLEN=16", tokens);
        Assert.DoesNotContain(tokens, t => t.StartsWith("CHANLIMIT", StringComparison.Ordinal));
        Assert.Equal("SAFELIST", tokens[^1]);
        Assert.DoesNotContain("", tokens);
    }

    [Fact]
    public void Default_tokens_fit_one_line()
    {
        var reply = Assert.Single(ISupport.BuildReplies("irc.local", "nick", Defaults));
        Assert.Equal("irc.local", reply.Source);
        Assert.Equal(Numerics.RPL_ISUPPORT, reply.Command);
        Assert.Equal("nick", reply.Params[0]);
        Assert.Equal(ISupport.Trailer, reply.Params[^1]);
        Assert.Equal(14, reply.ParamCount);
        Assert.EndsWith("TOPICLEN=390 :are supported by this server", reply.ToString());
    }

    [Fact]
    public void More_than_13_tokens_split_into_lines_in_order()
    {
        var s = Defaults with { Extra = ["SAFELIST", "EXCEPTS", "INVEX", "WHOX", "ELIST=U"] };
        var replies = ISupport.BuildReplies("irc.local", "nick", s);
        Assert.Equal(2, replies.Count);
        Assert.Equal(15, replies[0].ParamCount);
        Assert.Equal(ISupport.MaxTokensPerLine, replies[0].ParamCount - 2);
        Assert.Equal(6, replies[1].ParamCount);
        var all = replies.SelectMany(r => r.Params.Skip(1).Take(r.ParamCount - 2));
        Assert.Equal(ISupport.Tokens(s), all);
    }

    [Fact]
    public void Long_tokens_split_by_byte_budget_and_survive_a_round_trip()
    {
        var extras = Enumerable.Range(0, 20).Select(i => $"X{i}=" + new string('v', 80)).ToArray();
        var s = Defaults with { Extra = extras };
        var replies = ISupport.BuildReplies("irc.local", "somenick", s);
        Assert.True(replies.Count > 3);
        foreach (var r in replies)
        {
            Assert.True(IrcFormatter.ToBytes(r).Length <= 512);
            Assert.Equal(r, IrcParser.Parse(IrcFormatter.ToLine(r)));
            Assert.InRange(r.ParamCount - 2, 1, ISupport.MaxTokensPerLine);
        }

        Assert.Equal(ISupport.Tokens(s), replies.SelectMany(r => r.Params.Skip(1).Take(r.ParamCount - 2)));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a b", "a\\x20b")]
    [InlineData("a=b\\c", "a\\x3Db\\x5Cc")]
    [InlineData("tab\t", "tab\\x09")]
    public void Values_are_escaped(string value, string expected) =>
        Assert.Equal(expected, ISupport.EscapeValue(value));
}
