using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using Xunit;

namespace ActorNet.Chat.Tests.Core;

/// <summary>IRCv3 labeled-response with batch: ACK, one labeled line, or a labeled-response batch.</summary>
public sealed class LabeledResponseTests
{
    private static List<string> Wrap(bool batch, params string[] lines) =>
        LabeledResponse.Wrap("irc.test", "abc", lines.Select(IrcParser.Parse).ToList(), batch, "7-1").Select(m => IrcFormatter.ToLine(m)).ToList();

    [Fact]
    public void No_response_is_a_labeled_ack() => Assert.Equal(["@label=abc :irc.test ACK"], Wrap(true));

    [Fact]
    public void One_line_is_labeled_without_a_batch() =>
        Assert.Equal(["@time=2025-01-01T00:00:00.000Z;label=abc :irc.test PONG irc.test x"], Wrap(true, "@time=2025-01-01T00:00:00.000Z :irc.test PONG irc.test x"));

    [Fact]
    public void Several_lines_are_a_labeled_response_batch()
    {
        Assert.Equal(
        [
            "@label=abc :irc.test BATCH +7-1 labeled-response",
            "@batch=7-1 :a!~a@h JOIN #x",
            "@batch=7-1 :irc.test 366 a #x :End of /NAMES list",
            ":irc.test BATCH -7-1",
        ], Wrap(true, ":a!~a@h JOIN #x", ":irc.test 366 a #x :End of /NAMES list"));
        Assert.Equal([":a!~a@h JOIN #x", ":irc.test 366 a #x End"], Wrap(false, ":a!~a@h JOIN #x", ":irc.test 366 a #x :End")); // no batch cap: unlabeled
    }

    [Fact]
    public void The_label_counts_only_with_the_cap_and_a_bounded_length()
    {
        var plain = SessionState.Connected("h");
        var labeled = plain with { Caps = plain.Caps.Add(LabeledResponse.Cap) };
        var message = IrcParser.Parse("@label=x1 PING a");
        Assert.Null(LabeledResponse.LabelOf(plain, message));
        Assert.Equal("x1", LabeledResponse.LabelOf(labeled, message));
        Assert.Null(LabeledResponse.LabelOf(labeled, IrcParser.Parse("@label=" + new string('x', 65) + " PING a")));
        Assert.Equal("dead beef", LabeledResponse.LabelOfRaw(labeled, "@a=b;label=dead\\sbeef BAD_COMMAND"u8));
        Assert.Null(LabeledResponse.LabelOfRaw(labeled, "BAD_COMMAND"u8));
    }
}
