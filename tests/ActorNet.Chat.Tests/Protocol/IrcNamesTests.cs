using ActorNet.Chat.Protocol;
using Xunit;

namespace ActorNet.Chat.Tests.Protocol;

public sealed class IrcNamesTests
{
    [Theory]
    [InlineData("nick")]
    [InlineData("Nick123")]
    [InlineData("[tm]")]
    [InlineData("`x")]
    [InlineData("_under")]
    [InlineData("a-b")]
    [InlineData("{|}^\\")]
    [InlineData("abcdefghi")]
    public void Valid_nicks(string nick) => Assert.True(IrcNames.IsValidNick(nick, 9));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1abc")]
    [InlineData("-abc")]
    [InlineData("ni ck")]
    [InlineData("nick!")]
    [InlineData("nick@host")]
    [InlineData("ni,ck")]
    [InlineData("#chan")]
    [InlineData(":nick")]
    [InlineData("ñick")]
    [InlineData("nick\u0007")]
    [InlineData("abcdefghij")]
    public void Invalid_nicks(string? nick) => Assert.False(IrcNames.IsValidNick(nick, 9));

    [Theory]
    [InlineData("#chan")]
    [InlineData("&local")]
    [InlineData("#a")]
    [InlineData("#çhan-🙂")]
    [InlineData("#a.b!c[d]")]
    [InlineData("##double")]
    public void Valid_channels(string channel) => Assert.True(IrcNames.IsValidChannel(channel, 50));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("#")]
    [InlineData("chan")]
    [InlineData("+chan")]
    [InlineData("#a b")]
    [InlineData("#a,b")]
    [InlineData("#a:b")]
    [InlineData("#a\u0007b")]
    [InlineData("#a\u0001")]
    [InlineData("#a\u007f")]
    [InlineData("#a\u0085")]
    public void Invalid_channels(string? channel) => Assert.False(IrcNames.IsValidChannel(channel, 50));

    [Fact]
    public void Lone_surrogates_are_invalid_in_channels()
    {
        Assert.False(IrcNames.IsValidChannel("#a" + '\uD800', 50));
        Assert.False(IrcNames.IsValidChannel("#" + '\uDE42' + "a", 50));
        Assert.True(IrcNames.IsValidChannel("#" + '\uD83D' + '\uDE42', 50));
    }

    [Fact]
    public void Channel_length_is_measured_in_utf8_bytes()
    {
        Assert.True(IrcNames.IsValidChannel("#" + new string('a', 49), 50));
        Assert.False(IrcNames.IsValidChannel("#" + new string('a', 50), 50));
        Assert.True(IrcNames.IsValidChannel("#" + new string('é', 24), 50));  // 49 bytes
        Assert.False(IrcNames.IsValidChannel("#" + new string('é', 25), 50)); // 51 bytes
    }

    [Fact]
    public void Channel_types_are_configurable()
    {
        Assert.True(IrcNames.IsValidChannel("+modeless", 50, "#&+"));
        Assert.False(IrcNames.IsValidChannel("&local", 50, "#"));
        Assert.True(IrcNames.IsChannelName("#x"));
        Assert.False(IrcNames.IsChannelName("nick"));
        Assert.False(IrcNames.IsChannelName(""));
    }
}
