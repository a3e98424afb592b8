using System.Collections.Immutable;
using System.Text;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Server;
using ActorNet.Chat.Session;
using Xunit;

namespace ActorNet.Chat.Tests.Core;

public sealed class ChannelModeParserTests
{
    [Fact]
    public void Parses_flags_and_parameter_modes_in_order()
    {
        var p = ChannelModeParser.Parse(["+imk-o+l", "key", "bob", "10"]);
        Assert.Equal([new ModeChange(true, 'i', null), new ModeChange(true, 'm', null), new ModeChange(true, 'k', "key"),
            new ModeChange(false, 'o', "bob"), new ModeChange(true, 'l', "10")], p.Changes);
        Assert.Empty(p.Unknown);
        Assert.Empty(p.MissingArg);
    }

    [Fact]
    public void Minus_l_takes_no_argument_and_a_bare_b_lists_bans()
    {
        var p = ChannelModeParser.Parse(["-l+b"]);
        Assert.Equal([new ModeChange(false, 'l', null)], p.Changes);
        Assert.True(p.ListBans);
    }

    [Fact]
    public void Unknown_letters_and_missing_arguments_are_reported()
    {
        var p = ChannelModeParser.Parse(["+xyo+k"]);
        Assert.Equal(['x', 'y'], p.Unknown);
        Assert.Equal(['o', 'k'], p.MissingArg);
    }

    [Fact]
    public void At_most_the_configured_parameter_modes_are_taken()
    {
        var p = ChannelModeParser.Parse(["+ooooo", "a", "b", "c", "d", "e"], maxParamModes: 4);
        Assert.Equal(4, p.Changes.Count);
    }

    [Fact]
    public void Formats_applied_changes_compactly() =>
        Assert.Equal(["+ov-k", "a", "b", "*"], ChannelModeParser.Format([new(true, 'o', "a"), new(true, 'v', "b"), new(false, 'k', "*")]));

    [Theory]
    [InlineData("*!*@*", "nick!user@host", true)]
    [InlineData("nick!*@*", "nick!user@host", true)]
    [InlineData("n?ck!*", "nick!u@h", true)]
    [InlineData("other!*@*", "nick!user@host", false)]
    [InlineData("*@host", "nick!user@host", true)]
    [InlineData("*@other", "nick!user@host", false)]
    public void Wildcards_match(string mask, string text, bool expected) =>
        Assert.Equal(expected, ChannelModeParser.WildcardMatch(mask, text));
}

public sealed class TokenBucketTests
{
    [Fact]
    public void Allows_a_burst_then_refills_at_the_rate()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(3, 2, time.GetTimestamp());
        for (var i = 0; i < 3; i++) Assert.True(bucket.TryTake(time.GetTimestamp(), time));
        Assert.False(bucket.TryTake(time.GetTimestamp(), time));
        Assert.Equal(TimeSpan.FromSeconds(0.5), bucket.UntilNext(time.GetTimestamp(), time));
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(bucket.TryTake(time.GetTimestamp(), time));
        Assert.False(bucket.TryTake(time.GetTimestamp(), time));
        time.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 3; i++) Assert.True(bucket.TryTake(time.GetTimestamp(), time)); // never more than the capacity
        Assert.False(bucket.TryTake(time.GetTimestamp(), time));
    }
}

public sealed class OutgoingTests
{
    [Fact]
    public void Encodes_each_variant_once_and_hands_out_the_same_send()
    {
        var time = new DateTimeOffset(2025, 5, 6, 7, 8, 9, 10, TimeSpan.Zero);
        var o = new Outgoing(IrcMessage.FromSource("a!b@c", "PRIVMSG", "#x", "hi there"), time, [new("+draft/react", "x")]);
        var plain = ImmutableHashSet<string>.Empty;
        var timed = ImmutableHashSet.Create("server-time");
        var tagged = ImmutableHashSet.Create("message-tags", "server-time");
        Assert.Same(o.For(plain), o.For(plain));
        Assert.Same(o.For(timed), o.For(ImmutableHashSet.Create("server-time", "multi-prefix")));
        Assert.Equal(":a!b@c PRIVMSG #x :hi there", Encoding.UTF8.GetString(o.For(plain).Payload.ToArray()));
        Assert.Equal("@time=2025-05-06T07:08:09.010Z :a!b@c PRIVMSG #x :hi there", Encoding.UTF8.GetString(o.For(timed).Payload.ToArray()));
        Assert.Equal("@+draft/react=x;time=2025-05-06T07:08:09.010Z :a!b@c PRIVMSG #x :hi there", Encoding.UTF8.GetString(o.For(tagged).Payload.ToArray()));
    }
}
