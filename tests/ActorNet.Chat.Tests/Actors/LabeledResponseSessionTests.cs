using Akka.TestKit.Xunit2;
using Xunit;
using static ActorNet.Chat.Tests.Actors.SessionHarness;

namespace ActorNet.Chat.Tests.Actors;

/// <summary>labeled-response through a session and the chat server: replies from the core, the users directory and a
/// channel all end up in the one labeled answer; what others receive carries no label.</summary>
public sealed class LabeledResponseSessionTests : TestKit
{
    [Fact]
    public void A_labeled_join_is_one_batch_and_a_labeled_pong_one_line_and_nothing_an_ack()
    {
        var h = new SessionHarness(this);
        var (alice, a) = h.Registered("alice");
        Send(alice, "CAP REQ :batch labeled-response");
        Until(a, "ACK");
        Send(alice, "@label=j1 JOIN #room");
        var lines = Until(a, "BATCH -");
        Assert.Matches("^@label=j1 :irc.test BATCH \\+[A-Za-z0-9-]+ labeled-response$", lines[0]);
        var id = lines[0].Split(' ')[3][1..];
        Assert.Equal($"@batch={id} :alice!~alice@127.0.0.1 JOIN #room", lines[1]);
        Assert.All(lines[1..^1], l => Assert.StartsWith($"@batch={id} ", l));
        Assert.Equal($":irc.test BATCH -{id}", lines[^1]);
        Send(alice, "@label=p1 PING x");
        Assert.Equal("@label=p1 :irc.test PONG irc.test x", Next(a));
        Send(alice, "@label=n1 PONG x");
        Assert.Equal("@label=n1 :irc.test ACK", Next(a));
        Send(alice, "@label=u1 NO_SUCH");
        Assert.Equal("@label=u1 :irc.test 421 alice * :Unknown command", Next(a));
    }

    [Fact]
    public void Labeled_messages_label_only_the_echo_to_the_sender()
    {
        var h = new SessionHarness(this);
        var (alice, a) = h.Registered("alice");
        var (bob, b) = h.Registered("bob");
        Send(alice, "CAP REQ :batch labeled-response echo-message");
        Until(a, "ACK");
        foreach (var (s, c) in new[] { (alice, a), (bob, b) })
        {
            Send(s, "JOIN #room");
            Until(c, " 366 ");
        }

        Until(a, "bob!~bob@127.0.0.1 JOIN");
        Send(alice, "@label=m1 PRIVMSG #room :hi");
        Assert.Equal("@label=m1 :alice!~alice@127.0.0.1 PRIVMSG #room hi", Next(a));
        Assert.Equal(":alice!~alice@127.0.0.1 PRIVMSG #room hi", Next(b));
        Send(alice, "@label=m2 PRIVMSG bob :direct");
        Assert.Equal("@label=m2 :alice!~alice@127.0.0.1 PRIVMSG bob direct", Next(a));
        Assert.Equal(":alice!~alice@127.0.0.1 PRIVMSG bob direct", Next(b));
        Send(alice, "@label=n1 NICK alice2");
        Assert.Equal("@label=n1 :alice!~alice@127.0.0.1 NICK alice2", Next(a));
        Assert.Equal(":alice!~alice@127.0.0.1 NICK alice2", Next(b));
        Send(alice, "PRIVMSG #room :after"); // unlabeled again: the member's own connection, no label
        Assert.Equal(":alice2!~alice@127.0.0.1 PRIVMSG #room after", Next(a));
    }
}
