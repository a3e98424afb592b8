using ActorNet.Chat.Protocol;
using Xunit;

namespace ActorNet.Chat.Tests.Protocol;

public sealed class IrcMessageTests
{
    [Fact]
    public void Equality_is_by_value()
    {
        var a = new IrcMessage([new("t", "1")], "src", "privmsg", new List<string> { "#c", "hi" });
        var b = new IrcMessage([new("t", "1")], "src", "PRIVMSG", ["#c", "hi"]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b.WithSource("other"));
        Assert.NotEqual(a, b.WithTag("t", "2"));
        Assert.NotEqual(a, IrcMessage.FromSource("src", "PRIVMSG", "#c", "hi!"));
        Assert.NotEqual(a, IrcMessage.FromSource("src", "PRIVMSG", "#c"));
    }

    [Fact]
    public void Parameters_are_copied_on_construction()
    {
        var list = new List<string> { "a" };
        var m = new IrcMessage(null, "CMD", list);
        list[0] = "changed";
        Assert.Equal("a", m.Params[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("PRIV MSG")]
    [InlineData("12")]
    [InlineData("1234")]
    [InlineData("A1")]
    public void Invalid_commands_are_rejected(string command) =>
        Assert.Throws<ArgumentException>(() => IrcMessage.Create(command));

    [Fact]
    public void Null_parameter_is_rejected() =>
        Assert.Throws<ArgumentException>(() => IrcMessage.Create("CMD", "a", null!));

    [Fact]
    public void WithTag_replaces_an_existing_key()
    {
        var m = IrcMessage.Create("PING").WithTag("a", "1").WithTag("b", null).WithTag("a", "2");
        Assert.Equal([new("b", null), new("a", "2")], m.Tags);
        Assert.Equal("2", m.GetTag("a"));
        Assert.Empty(IrcMessage.Create("PING").Tags);
    }
}
