using ActorNet.Chat.Core;
using ActorNet.Chat.Settings;
using Xunit;
using static ActorNet.Chat.Tests.Core.CoreHarness;

namespace ActorNet.Chat.Tests.Core;

public sealed class RegistrationTests
{
    [Fact]
    public void Nick_then_user_asks_the_service_then_welcomes_with_001_to_005_lusers_and_motd()
    {
        var h = new CoreHarness();
        Assert.Empty(h.Run("NICK alice"));
        var effects = h.Run("USER bob 0 * :Alice Liddell");
        var request = Assert.IsType<RegisterRequest>(Assert.Single(Requests(effects)));
        Assert.Equal("alice", request.Nick);
        Assert.True(h.State.RegistrationPending);
        Assert.Equal("~bob", h.State.User);

        var lines = Lines(h.Apply(new RegisteredEvent(new LusersCounts(3, 1, 0, 0, 2, 5), Now)));
        Assert.True(h.State.Registered);
        Assert.Equal(":irc.test 001 alice :Welcome to the ActorNet Internet Relay Chat Network alice!~bob@127.0.0.1", lines[0]);
        Assert.StartsWith(":irc.test 002 alice :Your host is irc.test", lines[1]);
        Assert.StartsWith(":irc.test 003 alice :", lines[2]);
        Assert.Equal(":irc.test 004 alice irc.test actornet-0.1 Biow biklmnopstv bklov", lines[3]);
        Assert.Contains(lines, l => l.StartsWith(":irc.test 005 alice ") && l.Contains("NICKLEN=30") && l.EndsWith(":are supported by this server"));
        Assert.Contains(":irc.test 251 alice :There are 2 users and 1 invisible on 1 servers", lines);
        Assert.Contains(":irc.test 254 alice 2 :channels formed", lines);
        Assert.Contains(":irc.test 265 alice 3 5 :Current local users 3, max 5", lines);
        Assert.Contains(":irc.test 266 alice 3 5 :Current global users 3, max 5", lines);
        var motd = lines.SkipWhile(l => !l.Contains(" 375 ")).ToList();
        Assert.Equal([":irc.test 375 alice :- irc.test Message of the day - ", ":irc.test 372 alice :- hello", ":irc.test 376 alice :End of /MOTD command."], motd);
    }

    [Fact]
    public void User_then_nick_also_registers()
    {
        var h = new CoreHarness();
        Assert.Empty(h.Run("USER a 0 * :A"));
        Assert.IsType<RegisterRequest>(Assert.Single(Requests(h.Run("NICK zed"))));
    }

    [Fact]
    public void Without_motd_the_welcome_ends_with_422()
    {
        var h = new CoreHarness(ChatSettings.Default with { ServerName = "irc.test", Motd = [] });
        h.Registered();
        Assert.EndsWith(" 422 alice :MOTD File is missing", Lines(h.Effects).Last());
    }

    [Fact]
    public void Nick_in_use_at_registration_answers_433_and_lets_the_client_try_again()
    {
        var h = new CoreHarness();
        h.Run("NICK alice");
        h.Run("USER a 0 * :A");
        Assert.Equal([":irc.test 433 * alice :Nickname is already in use"], Lines(h.Apply(new NickInUseEvent("alice"))));
        Assert.False(h.State.RegistrationPending);
        Assert.Null(h.State.Nick);
        Assert.Equal("alice_", Assert.IsType<RegisterRequest>(Assert.Single(Requests(h.Run("NICK alice_")))).Nick);
    }

    [Fact]
    public void A_nick_the_cluster_could_not_decide_answers_437_and_lets_the_client_try_again()
    {
        var h = new CoreHarness();
        h.Run("NICK alice");
        h.Run("USER a 0 * :A");
        Assert.Equal([":irc.test 437 * alice :Nick/channel is temporarily unavailable"],
            Lines(h.Apply(new NickInUseEvent("alice", Unavailable: true))));
        Assert.False(h.State.RegistrationPending);
        Assert.Equal("alice", Assert.IsType<RegisterRequest>(Assert.Single(Requests(h.Run("NICK alice")))).Nick);
    }

    [Theory]
    [InlineData("NICK", ":irc.test 431 * :No nickname given")]
    [InlineData("NICK 1abc", ":irc.test 432 * 1abc :Erroneous nickname")]
    [InlineData("NICK abcdefghijklmnopqrstuvwxyzabcdefgh", ":irc.test 432 * abcdefghijklmnopqrstuvwxyzabcdefgh :Erroneous nickname")]
    [InlineData("USER a b c", ":irc.test 461 * USER :Not enough parameters")]
    [InlineData("JOIN #a", ":irc.test 451 * :You have not registered")]
    [InlineData("FOO bar", ":irc.test 451 * :You have not registered")]
    [InlineData("PING", ":irc.test 461 * PING :Not enough parameters")]
    [InlineData("PING abc", ":irc.test PONG irc.test abc")]
    [InlineData("CAP FOO", ":irc.test 410 * FOO :Invalid CAP command")]
    public void Before_registration(string line, string expected) =>
        Assert.Equal([expected], Lines(new CoreHarness().Run(line)));

    [Fact]
    public void Already_registered_answers_462()
    {
        var h = new CoreHarness().Registered();
        Assert.Equal([":irc.test 462 alice :You may not reregister"], Lines(h.Run("USER x 0 * :y")));
        Assert.Equal([":irc.test 462 alice :You may not reregister"], Lines(h.Run("PASS x")));
    }

    [Fact]
    public void Unknown_command_after_registration_answers_421()
    {
        var h = new CoreHarness().Registered();
        Assert.Equal([":irc.test 421 alice FOO :Unknown command"], Lines(h.Run("FOO")));
    }

    [Fact]
    public void Password_is_checked_when_configured()
    {
        var settings = ChatSettings.Default with { ServerName = "irc.test", Password = "sesame" };
        var wrong = new CoreHarness(settings);
        wrong.Run("PASS nope");
        wrong.Run("NICK a");
        var effects = wrong.Run("USER a 0 * :a");
        Assert.Equal([":irc.test 464 a :Password incorrect"], Lines(effects));
        Assert.Contains("Bad password", Assert.IsType<CloseLink>(effects.Last()).Text);
        Assert.Empty(Requests(effects));

        var missing = new CoreHarness(settings);
        missing.Run("NICK a");
        Assert.IsType<CloseLink>(missing.Run("USER a 0 * :a").Last());

        var right = new CoreHarness(settings);
        right.Run("PASS sesame");
        right.Run("NICK a");
        Assert.IsType<RegisterRequest>(Assert.Single(Requests(right.Run("USER a 0 * :a"))));
    }

    [Fact]
    public void Too_long_input_answers_417()
    {
        var h = new CoreHarness().Registered();
        Assert.Equal([":irc.test 417 alice :Input line was too long"], Lines(h.Run("PRIVMSG #a :" + new string('x', 600))));
    }

    [Fact]
    public void Quit_asks_the_service_then_closes_with_error()
    {
        var h = new CoreHarness().Registered();
        var effects = h.Run("QUIT :bye now");
        // asked (the close waits for the answer): watchers see 731 before the client sees its link close
        Assert.Equal("Quit: bye now", Assert.IsType<QuitRequest>(Assert.IsType<Request>(effects[0]).Body).Reason);
        Assert.Equal("Closing link: 127.0.0.1 (Quit: bye now)", Assert.IsType<CloseLink>(effects[1]).Text);
    }

    [Fact]
    public void Registration_timeout_closes_with_a_reason()
    {
        var r = CommandCore.RegistrationTimedOut(SessionState.Connected("h"), new CoreHarness().View);
        Assert.Contains("Registration timed out", Assert.IsType<CloseLink>(Assert.Single(r.Effects)).Text);
    }

    [Theory]
    [InlineData("USER username * * :")]
    [InlineData("USER : * * :Real")]
    public void Empty_username_or_realname_is_461_and_does_not_register(string line)
    {
        var h = new CoreHarness();
        h.Run("NICK foo");
        Assert.Equal([":irc.test 461 foo USER :Not enough parameters"], Lines(h.Run(line)));
        Assert.Empty(Requests(h.Effects));
    }
}
