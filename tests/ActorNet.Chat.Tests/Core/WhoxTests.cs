using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Settings;
using Xunit;
using static ActorNet.Chat.Tests.Core.CoreHarness;

namespace ActorNet.Chat.Tests.Core;

/// <summary>IRCv3 WHOX: parsing <c>%fields[,token]</c> and the 354 lines, in the spec's fixed field order.</summary>
public sealed class WhoxTests
{
    private static readonly WhoEntry Cool = new("#chan", "~myusernam", "127.0.0.1", "My.Little.Server", "coolNick", "H@", 0, "My UniqueReal Name");

    private static string Line(string? whox) => IrcFormatter.ToLine(WhoReplies.Line("irc.test", "other", Cool, WhoxQuery.Parse(whox)));

    [Fact]
    public void Every_field_comes_in_the_fixed_order_whatever_the_order_asked()
    {
        const string expected = ":irc.test 354 other 123 #chan ~myusernam 127.0.0.1 127.0.0.1 My.Little.Server coolNick H@ 0 0 0 n/a :My UniqueReal Name";
        Assert.Equal(expected, Line("%tcuihsnfdlaor,123"));
        Assert.Equal(expected, Line("%roaldfnshiuct,123"));
    }

    [Theory]
    [InlineData("%tn,321", ":irc.test 354 other 321 coolNick")]
    [InlineData("%na", ":irc.test 354 other coolNick 0")]
    [InlineData("%n,toolong", ":irc.test 354 other coolNick")]
    [InlineData("%tn", ":irc.test 354 other 0 coolNick")]
    [InlineData("%zn", ":irc.test 354 other coolNick")]
    [InlineData(null, ":irc.test 352 other #chan ~myusernam 127.0.0.1 My.Little.Server coolNick H@ :0 My UniqueReal Name")]
    [InlineData("o", ":irc.test 352 other #chan ~myusernam 127.0.0.1 My.Little.Server coolNick H@ :0 My UniqueReal Name")]
    public void Fields_token_and_plain_who(string? whox, string expected) => Assert.Equal(expected, Line(whox));

    [Fact]
    public void A_hostname_that_is_no_address_gives_the_placeholder_ip() =>
        Assert.Equal(":irc.test 354 other 255.255.255.255 host.example",
            IrcFormatter.ToLine(WhoReplies.Line("irc.test", "other", Cool with { Host = "host.example" }, WhoxQuery.Parse("%ih"))));

    [Fact]
    public void Who_passes_the_whox_query_to_the_service_and_whox_is_advertised()
    {
        var h = new CoreHarness().Registered();
        var who = Assert.IsType<WhoRequest>(Assert.Single(Requests(h.Run("WHO coolNick %tn,5"))));
        Assert.Equal(new WhoxQuery("tn", "5"), who.Whox);
        Assert.Null(Assert.IsType<WhoRequest>(Assert.Single(Requests(h.Run("WHO #chan")))).Whox);
        Assert.Contains("WHOX", ISupport.Tokens(ChatSettings.Default.ISupport));
    }
}

public sealed class IdleStateTests
{
    [Fact]
    public void Privmsg_marks_activity_at_most_once_per_second_and_registration_starts_it()
    {
        var h = new CoreHarness().Registered();
        Assert.Equal(CoreHarness.Now, h.State.LastActive);
        Assert.Equal(90, h.State.IdleSeconds(CoreHarness.Now.AddSeconds(90)));
        var before = h.State;
        h.Run("PRIVMSG #a :hi"); // same instant: nothing to save
        Assert.Equal(before.LastActive, h.State.LastActive);
        Assert.Equal(5, Assert.IsType<WhoEntry>(new WhoEntry("*", "u", "h", "s", "n", "H", 0, "r") { Idle = 5 }).Idle);
    }
}
