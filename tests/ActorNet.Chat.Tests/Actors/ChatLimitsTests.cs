using ActorNet.Chat.Settings;
using Akka.TestKit.Xunit2;
using Xunit;
using static ActorNet.Chat.Tests.Actors.SessionHarness;

namespace ActorNet.Chat.Tests.Actors;

/// <summary>LIST and WHO through the real chat service: answers capped by max-list-replies / max-who-replies (one
/// command cannot walk a huge table), and +s channels hidden from LIST for non-members.</summary>
public sealed class ChatLimitsTests : TestKit
{
    private SessionHarness Harness() => new(this, ChatSettings.Default with
    {
        ServerName = "irc.test", Motd = [], Flood = new FloodSettings(1000, 1000, 1000), MaxListReplies = 2, MaxWhoReplies = 2,
    });

    [Fact]
    public void List_and_who_answer_at_most_the_configured_lines_then_their_end()
    {
        var h = Harness();
        var clients = new[] { "ann", "ben", "cat" }.Select(n => (Nick: n, Pair: h.Registered(n))).ToArray();
        foreach (var (nick, (s, c)) in clients)
        {
            Send(s, "JOIN #" + nick);
            Until(c, " 366 " + nick);
        }

        var (session, connection) = clients[0].Pair;
        Send(session, "LIST");
        var list = Until(connection, " 323 ");
        Assert.Equal(2, list.Count(l => l.Contains(" 322 ")));
        Send(session, "WHO *");
        var who = Until(connection, " 315 ");
        Assert.Equal(2, who.Count(l => l.Contains(" 352 ")));
    }

    [Fact]
    public void A_secret_channel_is_listed_only_for_its_members()
    {
        var h = new SessionHarness(this);
        var (a, ac) = h.Registered("ann");
        var (b, bc) = h.Registered("ben");
        Send(a, "JOIN #gen");
        Until(ac, " 366 ann");
        Send(a, "MODE #gen +s");
        Until(ac, "MODE #gen +s");
        Send(b, "LIST");
        Assert.DoesNotContain(Until(bc, " 323 "), l => l.Contains("#gen"));
        Send(a, "LIST");
        Assert.Contains(Until(ac, " 323 "), l => l.Contains(" 322 ann #gen 1"));
    }
}
