using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using Xunit;
using static ActorNet.Chat.Tests.Core.CoreHarness;

namespace ActorNet.Chat.Tests.Core;

public sealed class CapTests
{
    [Fact]
    public void Cap_first_registration_is_held_until_cap_end()
    {
        var h = new CoreHarness();
        Assert.Equal([":irc.test CAP * LS :away-notify batch cap-notify echo-message extended-monitor invite-notify labeled-response message-tags multi-prefix server-time setname userhost-in-names"], Lines(h.Run("CAP LS 302")));
        Assert.True(h.State.CapNegotiating);
        Assert.Empty(h.Run("NICK alice"));
        Assert.Empty(Requests(h.Run("USER a 0 * :A")));
        Assert.Equal([":irc.test CAP alice ACK :multi-prefix server-time"], Lines(h.Run("CAP REQ :multi-prefix server-time")));
        var end = h.Run("CAP END");
        Assert.IsType<RegisterRequest>(Assert.Single(Requests(end)));
        Assert.True(h.State.Has("multi-prefix"));
        Assert.True(h.State.Has("server-time"));
    }

    [Fact]
    public void Req_with_an_unknown_cap_is_refused_whole_with_the_exact_string()
    {
        var h = new CoreHarness();
        Assert.Equal([":irc.test CAP * NAK :multi-prefix bogus"], Lines(h.Run("CAP REQ :multi-prefix bogus")));
        Assert.Empty(h.State.Caps);
        Assert.True(h.State.CapNegotiating);
    }

    [Fact]
    public void Minus_removes_a_cap_and_list_shows_what_is_enabled()
    {
        var h = new CoreHarness();
        h.Run("CAP REQ :echo-message message-tags");
        Assert.Equal([":irc.test CAP * ACK -echo-message"], Lines(h.Run("CAP REQ -echo-message")));
        Assert.Equal([":irc.test CAP * LIST message-tags"], Lines(h.Run("CAP LIST")));
    }

    [Fact]
    public void Req_after_registration_works_and_does_not_hold_anything()
    {
        var h = new CoreHarness().Registered();
        Assert.Equal([":irc.test CAP alice ACK echo-message"], Lines(h.Run("CAP REQ echo-message")));
        Assert.False(h.State.CapNegotiating);
        Assert.True(h.State.Has("echo-message"));
    }

    [Fact]
    public void Ls_302_splits_long_lists_with_a_continuation_marker()
    {
        var caps = Enumerable.Range(0, 30).Select(i => "vendor.example/capability-" + i).ToArray();
        var lines = CapCommands.LsLines("irc.test", "*", caps, v302: true, chunkBytes: 200).Select(m => IrcFormatter.ToLine(m)).ToList();
        Assert.True(lines.Count > 1);
        Assert.All(lines[..^1], l => Assert.StartsWith(":irc.test CAP * LS * :", l));
        Assert.StartsWith(":irc.test CAP * LS :", lines[^1]);
        var all = lines.Select(l => IrcParser.Parse(l).Params[^1]).SelectMany(p => p.Split(' ')).ToArray();
        Assert.Equal(caps, all);
    }

    [Fact]
    public void Cap_end_without_negotiation_does_nothing()
    {
        var h = new CoreHarness();
        Assert.Empty(h.Run("CAP END"));
        Assert.False(h.State.CapNegotiating);
    }
}
