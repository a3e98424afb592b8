using ActorNet.Chat.Cluster;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Server;
using Xunit;

namespace ActorNet.Chat.Tests.Cluster;

/// <summary>A line crosses nodes as its plain bytes; the receiving node puts the tags in front and gets exactly what
/// the origin node's own clients got (same msgid, same server-time).</summary>
public sealed class WireLineTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Every_variant_of_a_line_from_another_node_equals_the_origin_s_own(bool serverTime, bool messageTags)
    {
        var origin = new Outgoing(IrcMessage.FromSource("bob!~bob@hb", "PRIVMSG", "#Room", "hi there: é"), At, assignMsgId: true);
        var wire = WireLine.From(origin);
        Assert.Equal(origin.For(false, false).Payload, wire.Body);

        var here = wire.ToOutgoing();
        Assert.Equal(origin.MsgId, here.MsgId);
        Assert.Equal(origin.For(serverTime, messageTags).Payload.ToString(System.Text.Encoding.UTF8),
            here.For(serverTime, messageTags).Payload.ToString(System.Text.Encoding.UTF8));
    }

    [Fact]
    public void A_line_without_msgid_gets_only_the_time_tag()
    {
        var origin = new Outgoing(IrcMessage.FromSource("bob!~bob@hb", "QUIT", "bye"), At);
        var here = WireLine.From(origin).ToOutgoing();
        Assert.Equal("@time=2025-11-24T16:00:00.123Z :bob!~bob@hb QUIT bye", here.For(true, true).Payload.ToString(System.Text.Encoding.UTF8));
        Assert.Equal(":bob!~bob@hb QUIT bye", here.For(false, true).Payload.ToString(System.Text.Encoding.UTF8));
    }
}
