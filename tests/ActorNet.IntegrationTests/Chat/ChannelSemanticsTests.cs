using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Chat;

public sealed class IrcChannelSemanticsTests(ITestOutputHelper output) : ChatNodeTestKit(output)
{
    [Fact(Timeout = 60_000)]
    public async Task Join_part_privmsg_notice_and_topic()
    {
        var ep = await StartChatAsync();
        await using var a = await IrcClient.RegisteredAsync(ep, "alice");
        await using var b = await IrcClient.RegisteredAsync(ep, "bob");
        var join = await a.CommandAsync("JOIN #x,#y");
        Assert.Contains(":alice!~alice@127.0.0.1 JOIN #x", join);
        Assert.Contains(":irc.test 353 alice = #x @alice", join);
        Assert.Contains(":irc.test 366 alice #x :End of /NAMES list", join);
        Assert.Contains(":alice!~alice@127.0.0.1 JOIN #y", join);

        Assert.Contains(":irc.test 331 alice #x :No topic is set", await a.CommandAsync("TOPIC #x"));
        await b.CommandAsync("JOIN #x");
        Assert.Contains(":irc.test 482 bob #x :You're not channel operator", await b.CommandAsync("TOPIC #x :mine")); // +t
        Assert.Contains(":alice!~alice@127.0.0.1 TOPIC #x :hello world", await a.CommandAsync("TOPIC #x :hello world"));
        await b.ExpectAsync(":alice!~alice@127.0.0.1 TOPIC #x :hello world");
        var topic = await b.CommandAsync("TOPIC #x");
        Assert.Contains(":irc.test 332 bob #x :hello world", topic);
        Assert.Contains(topic, l => l.StartsWith(":irc.test 333 bob #x alice!~alice@127.0.0.1 ", StringComparison.Ordinal));

        await b.SendAsync("PRIVMSG #x,alice :hi there");
        await a.ExpectAsync(":bob!~bob@127.0.0.1 PRIVMSG #x :hi there");
        await a.ExpectAsync(":bob!~bob@127.0.0.1 PRIVMSG alice :hi there");
        await b.SendAsync("NOTICE #x :note this");
        await a.ExpectAsync(":bob!~bob@127.0.0.1 NOTICE #x :note this");

        var errors = await b.CommandAsync("PRIVMSG nobody :x");
        Assert.Contains(":irc.test 401 bob nobody :No such nick/channel", errors);
        Assert.Contains(":irc.test 403 bob #nope :No such channel", await b.CommandAsync("PRIVMSG #nope :x"));
        Assert.Empty(await b.CommandAsync("NOTICE nobody :x"));
        Assert.Contains(":irc.test 442 bob #y :You're not on that channel", await b.CommandAsync("PART #y"));

        Assert.Contains(":bob!~bob@127.0.0.1 PART #x :bye now", await b.CommandAsync("PART #x :bye now"));
        await a.ExpectAsync(":bob!~bob@127.0.0.1 PART #x :bye now");
        Assert.Contains(":irc.test 404 bob #x :Cannot send to channel", await b.CommandAsync("PRIVMSG #x :outside")); // +n

        var list = await a.CommandAsync("LIST");
        Assert.Contains(":irc.test 322 alice #x 1 :hello world", list);
        Assert.Contains(list, l => l.Contains(" 323 alice "));
    }

    [Fact(Timeout = 60_000)]
    public async Task Modes_kick_and_invite()
    {
        var ep = await StartChatAsync();
        await using var op = await IrcClient.RegisteredAsync(ep, "op");
        await using var u = await IrcClient.RegisteredAsync(ep, "user");
        await op.CommandAsync("JOIN #m");
        var modes = await op.CommandAsync("MODE #m");
        Assert.Contains(":irc.test 324 op #m +nt", modes);
        Assert.Contains(modes, l => l.StartsWith(":irc.test 329 op #m ", StringComparison.Ordinal));

        Assert.Contains(":op!~op@127.0.0.1 MODE #m +ikl secret 5", await op.CommandAsync("MODE #m +ikl secret 5"));
        Assert.Contains(":irc.test 473 user #m :Cannot join channel (+i)", await u.CommandAsync("JOIN #m"));
        Assert.Contains(":irc.test 442 user #m :You're not on that channel", await u.CommandAsync("MODE #m -i"));
        Assert.Contains(":irc.test 472 op z :is unknown mode char to me", await op.CommandAsync("MODE #m +z"));
        Assert.Contains(":irc.test 696 op #m l abc :Invalid limit mode parameter", await op.CommandAsync("MODE #m +l abc"));
        // Modern IRC / irctest: a nick that exists nowhere is 401; one that exists but is not on the channel 441
        Assert.Contains(":irc.test 401 op ghost :No such nick/channel", await op.CommandAsync("MODE #m +o ghost"));
        Assert.Contains(":irc.test 441 op user #m :They aren't on that channel", await op.CommandAsync("MODE #m +o user"));

        Assert.Contains(":irc.test 341 op user #m", await op.CommandAsync("INVITE user #m"));
        await u.ExpectAsync(":op!~op@127.0.0.1 INVITE user #m");
        Assert.Contains(":irc.test 475 user #m :Cannot join channel (+k)", await u.CommandAsync("JOIN #m wrong"));
        Assert.Contains(":user!~user@127.0.0.1 JOIN #m", await u.CommandAsync("JOIN #m secret"));
        Assert.Contains(":irc.test 443 op user #m :is already on channel", await op.CommandAsync("INVITE user #m"));

        Assert.Contains(":op!~op@127.0.0.1 MODE #m +mv user", await op.CommandAsync("MODE #m +m+v user"));
        await u.ExpectAsync(":op!~op@127.0.0.1 MODE #m +mv user");
        Assert.DoesNotContain(await u.CommandAsync("PRIVMSG #m :voiced"), l => l.Contains(" 404 "));
        await op.CommandAsync("MODE #m -v user");
        Assert.Contains(":irc.test 404 user #m :Cannot send to channel", await u.CommandAsync("PRIVMSG #m :muted"));

        await u.SendAsync("CAP REQ multi-prefix");
        await op.CommandAsync("MODE #m +v op");
        Assert.Contains(":irc.test 353 user = #m :@+op user", await u.CommandAsync("NAMES #m"));

        Assert.Contains(":irc.test 482 user #m :You're not channel operator", await u.CommandAsync("KICK #m op"));
        Assert.Contains(":irc.test 441 op ghost #m :They aren't on that channel", await op.CommandAsync("KICK #m ghost"));
        Assert.Contains(":op!~op@127.0.0.1 KICK #m user :behave please", await op.CommandAsync("KICK #m user :behave please"));
        await u.ExpectAsync(":op!~op@127.0.0.1 KICK #m user :behave please");
        Assert.Contains(":irc.test 442 user #m :You're not on that channel", await u.CommandAsync("KICK #m op"));

        await op.CommandAsync("MODE #m -ik+b secret user!*@*");
        Assert.Contains(":irc.test 474 user #m :Cannot join channel (+b)", await u.CommandAsync("JOIN #m"));
        var bans = await op.CommandAsync("MODE #m b");
        Assert.Contains(":irc.test 367 op #m user!*@*", bans);
    }

    [Fact(Timeout = 60_000)]
    public async Task Away_whois_who_userhost_ison_and_echo_message()
    {
        var ep = await StartChatAsync();
        await using var a = await IrcClient.RegisteredAsync(ep, "alice");
        await using var b = await IrcClient.RegisteredAsync(ep, "bob");
        Assert.Contains(":irc.test 306 bob :You have been marked as being away", await b.CommandAsync("AWAY :out to lunch"));
        Assert.Contains(":irc.test 301 alice bob :out to lunch", await a.CommandAsync("PRIVMSG bob :ping?"));
        Assert.Contains(":irc.test 302 alice bob=-~bob@127.0.0.1", await a.CommandAsync("USERHOST bob"));
        Assert.Contains(":irc.test 303 alice bob", await a.CommandAsync("ISON bob nobody"));
        var whois = await a.CommandAsync("WHOIS bob");
        Assert.Contains(":irc.test 301 alice bob :out to lunch", whois);
        Assert.Contains(":irc.test 318 alice bob :End of /WHOIS list", whois);
        Assert.Contains(":irc.test 401 alice nobody :No such nick/channel", await a.CommandAsync("WHOIS nobody"));
        Assert.Contains(":irc.test 406 alice nobody :There was no such nickname", await a.CommandAsync("WHOWAS nobody"));
        Assert.Contains(":irc.test 305 bob :You are no longer marked as being away", await b.CommandAsync("AWAY"));

        await a.CommandAsync("JOIN #e");
        await b.CommandAsync("JOIN #e");
        var who = await a.CommandAsync("WHO #e");
        Assert.Contains(":irc.test 352 alice #e ~bob 127.0.0.1 irc.test bob H :0 bob real", who);
        Assert.Contains(":irc.test 315 alice #e :End of /WHO list", who);

        Assert.Contains(":irc.test CAP alice ACK :echo-message server-time", await a.CommandAsync("CAP REQ :echo-message server-time"));
        var echoed = await a.CommandAsync("PRIVMSG #e :echo me");
        Assert.Contains(echoed, l => l.StartsWith("@time=", StringComparison.Ordinal) && l.EndsWith(" :alice!~alice@127.0.0.1 PRIVMSG #e :echo me", StringComparison.Ordinal));
        await b.ExpectAsync(":alice!~alice@127.0.0.1 PRIVMSG #e :echo me"); // bob has no server-time: no tag
    }

    [Fact(Timeout = 60_000)]
    public async Task Oper_kill_and_wallops()
    {
        var ep = await StartChatAsync();
        await using var root = await IrcClient.RegisteredAsync(ep, "root");
        await using var victim = await IrcClient.RegisteredAsync(ep, "victim");
        await using var watcher = await IrcClient.RegisteredAsync(ep, "watcher");
        await victim.CommandAsync("JOIN #k");
        await watcher.CommandAsync("JOIN #k");
        Assert.Contains(":irc.test 481 watcher :Permission Denied- You're not an IRC operator", await watcher.CommandAsync("KILL victim :no"));
        Assert.Contains(":irc.test 464 root :Password incorrect", await root.CommandAsync("OPER root wrong"));
        Assert.Contains(":irc.test 381 root :You are now an IRC operator", await root.CommandAsync("OPER root rootpw"));
        await root.CommandAsync("KILL victim :spamming");
        await watcher.ExpectAsync(":victim!~victim@127.0.0.1 QUIT :Killed (root (spamming))");
        Assert.Equal("ERROR :Closing link: Killed (root (spamming))", await victim.ExpectAsync("ERROR"));
        Assert.True(await victim.ClosedAsync());

        await watcher.CommandAsync("MODE watcher +w");
        await root.SendAsync("WALLOPS :maintenance soon");
        await watcher.ExpectAsync(":root!~root@127.0.0.1 WALLOPS :maintenance soon");
    }
}
