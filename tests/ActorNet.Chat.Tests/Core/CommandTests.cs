using ActorNet.Chat.Core;
using ActorNet.Chat.Settings;
using Xunit;
using static ActorNet.Chat.Tests.Core.CoreHarness;

namespace ActorNet.Chat.Tests.Core;

public sealed class CommandTests
{
    [Fact]
    public void Every_table_entry_is_reachable_by_its_name() =>
        Assert.All(CommandCore.Table, kv => Assert.Equal(kv.Key, kv.Value.Name));

    [Theory]
    [InlineData("JOIN", "JOIN")]
    [InlineData("KICK #a", "KICK")]
    [InlineData("OPER x", "OPER")]
    [InlineData("INVITE bob", "INVITE")]
    [InlineData("MODE", "MODE")]
    public void Missing_parameters_answer_461(string line, string command) =>
        Assert.Equal([$":irc.test 461 alice {command} :Not enough parameters"], Lines(new CoreHarness().Registered().Run(line)));

    [Theory]
    [InlineData("PRIVMSG", ":irc.test 411 alice :No recipient given (PRIVMSG)")]
    [InlineData("PRIVMSG #a", ":irc.test 412 alice :No text to send")]
    [InlineData("PRIVMSG #a :", ":irc.test 412 alice :No text to send")]
    [InlineData("JOIN #bad,name", ":irc.test 403 alice name :No such channel")]
    [InlineData("OPER nobody pw", ":irc.test 491 alice :No O-lines for your host")]
    [InlineData("KILL bob :go", ":irc.test 481 alice :Permission Denied- You're not an IRC operator")]
    [InlineData("WALLOPS :hi", ":irc.test 481 alice :Permission Denied- You're not an IRC operator")]
    [InlineData("MODE bob +i", ":irc.test 502 alice :Can't change mode for other users")]
    [InlineData("MODE alice", ":irc.test 221 alice +")]
    [InlineData("MODE alice +i", ":alice!~a@127.0.0.1 MODE alice +i")]
    [InlineData("MODE alice +B", ":alice!~a@127.0.0.1 MODE alice +B")]
    [InlineData("MODE alice +z", ":irc.test 501 alice :Unknown MODE flag")]
    [InlineData("HELP nosuch", ":irc.test 524 alice NOSUCH :No help available on this topic")]
    [InlineData("NAMES", ":irc.test 366 alice * :End of /NAMES list")]
    public void Replies_of_the_core(string line, string expected) =>
        Assert.Contains(expected, Lines(new CoreHarness().Registered().Run(line)));

    [Fact]
    public void Notice_errors_are_never_answered()
    {
        var h = new CoreHarness().Registered();
        Assert.Empty(h.Run("NOTICE"));
        Assert.Empty(h.Run("NOTICE #a"));
    }

    [Fact]
    public void Privmsg_to_several_targets_asks_once_per_target()
    {
        var h = new CoreHarness().Registered();
        var requests = Requests(h.Run("PRIVMSG #a,bob,#A :hi all")).Cast<MessageRequest>().ToList();
        Assert.Equal(["#a", "bob"], requests.Select(r => r.Target)); // #A is #a under the casemapping
        Assert.All(requests, r => Assert.Equal("hi all", r.Text));
    }

    [Fact]
    public void Join_splits_channels_and_keys_and_enforces_the_channel_limit()
    {
        var h = new CoreHarness(ChatSettings.Default with { ServerName = "irc.test", MaxChannelsPerUser = 2 }).Registered();
        var effects = h.Run("JOIN #a,#b,#c k1,k2");
        Assert.Equal([new JoinRequest("#a", "k1"), new JoinRequest("#b", "k2")], Requests(effects));
        Assert.Equal([":irc.test 405 alice #c :You have joined too many channels"], Lines(effects));
        h.Apply(new JoinedEvent("#a"));
        Assert.Empty(h.Run("JOIN #A")); // already there
        var parts = Requests(h.Run("JOIN 0"));
        Assert.Equal([new PartRequest("#a", "Left all channels")], parts);
    }

    [Fact]
    public void Oper_with_the_configured_password_gives_381_and_plus_o()
    {
        var h = new CoreHarness(ChatSettings.Default with { ServerName = "irc.test", Opers = new Dictionary<string, string> { ["root"] = "pbkdf2-sha256$10000$YWN0b3JuZXQtdGVzdC0wMg==$mR6agHfH4UYEu5pjXjiLJxZKgUcSU35ut7Zaq2tzino=" } }).Registered();
        Assert.Equal([":irc.test 464 alice :Password incorrect"], Lines(h.Run("OPER root nope")));
        Assert.False(h.State.Oper);
        Assert.Equal([":irc.test 381 alice :You are now an IRC operator", ":alice MODE alice +o"], Lines(h.Run("OPER root pw")));
        Assert.True(h.State.Oper);
        Assert.Equal(new KillRequest("bob", "bye"), Assert.Single(Requests(h.Run("KILL bob :bye"))));
    }

    [Fact]
    public void Nick_change_after_registration_asks_the_service_and_applies_its_answer()
    {
        var h = new CoreHarness().Registered();
        Assert.Equal(new ChangeNickRequest("bob"), Assert.Single(Requests(h.Run("NICK bob"))));
        Assert.Equal([":irc.test 433 alice bob :Nickname is already in use"], Lines(h.Apply(new NickInUseEvent("bob"))));
        Assert.Equal("alice", h.State.Nick);
        h.Apply(new NickChangedEvent("carol"));
        Assert.Equal("carol", h.State.Nick);
    }

    [Fact]
    public void Info_commands_answer_with_their_numerics()
    {
        var h = new CoreHarness().Registered();
        Assert.StartsWith(":irc.test 391 alice irc.test ", Lines(h.Run("TIME")).Single());
        Assert.StartsWith(":irc.test 351 alice actornet-0.1 irc.test", Lines(h.Run("VERSION"))[0]);
        Assert.EndsWith(" 374 alice :End of /INFO list", Lines(h.Run("INFO")).Last());
        Assert.Equal([":irc.test 364 alice irc.test irc.test :0 ActorNet IRC", ":irc.test 365 alice * :End of /LINKS list"], Lines(h.Run("LINKS")));
        Assert.EndsWith(" 706 alice * :End of /HELP", Lines(h.Run("HELP")).Last());
        Assert.IsType<LusersRequest>(Assert.Single(Requests(h.Run("LUSERS"))));
        Assert.Equal(7, Lines(h.Apply(new LusersEvent(new LusersCounts(1, 0, 0, 0, 0, 1)))).Count);
    }

    [Fact]
    public void Topic_and_kick_texts_are_cut_to_the_configured_lengths()
    {
        var h = new CoreHarness(ChatSettings.Default with { ServerName = "irc.test", TopicLength = 5, KickLength = 3 }).Registered();
        Assert.Equal(new TopicRequest("#a", "12345"), Assert.Single(Requests(h.Run("TOPIC #a :1234567"))));
        Assert.Equal(new KickRequest("#a", "bob", "why"), Assert.Single(Requests(h.Run("KICK #a bob :why not"))));
    }

    [Theory]
    [InlineData("WHOWAS nick2", "nick2", 0)]
    [InlineData("WHOWAS nick2 1", "nick2", 1)]
    [InlineData("WHOWAS nick2 2", "nick2", 2)]
    [InlineData("WHOWAS nick2 0", "nick2", 0)]
    [InlineData("WHOWAS nick2 -1", "nick2", 0)]
    [InlineData("WHOWAS nick2 many", "nick2", 0)]
    [InlineData("WHOWAS nick2,nick3 1", "nick2", 1)]
    public void Whowas_passes_the_nick_and_a_positive_count_or_zero_for_a_full_search(string line, string nick, int count) =>
        Assert.Equal(new WhowasRequest(nick, count), Assert.Single(Requests(new CoreHarness().Registered().Run(line))));

    [Fact]
    public void Whowas_of_an_empty_nick_is_431() =>
        Assert.Equal([":irc.test 431 alice :No nickname given"], Lines(new CoreHarness().Registered().Run("WHOWAS :")));

    [Fact]
    public void Tagmsg_relays_only_client_tags_and_needs_message_tags()
    {
        var h = new CoreHarness().Registered();
        Assert.Empty(h.Run("@+typing=active TAGMSG #chan")); // message-tags not enabled: nothing, no error
        h.Run("CAP REQ message-tags");
        var requests = Requests(h.Run("@+typing=active;label=x;time=y TAGMSG #chan,bob"));
        Assert.Equal(2, requests.Count);
        var request = Assert.IsType<MessageRequest>(requests[0]);
        Assert.Equal("TAGMSG", request.Command);
        Assert.Equal("#chan", request.Target);
        Assert.Equal([new KeyValuePair<string, string?>("+typing", "active")], request.Tags);
        Assert.Equal([":irc.test 461 alice TAGMSG :Not enough parameters"], Lines(h.Run("TAGMSG")));
    }

    [Theory]
    [InlineData("KICK #chan bar,baz :bye", "#chan bar", "#chan baz")]
    [InlineData("KICK #chan,#chan bar,baz :bye", "#chan bar", "#chan baz")]
    [InlineData("KICK #a,#b bar,baz,qux :bye", "#a bar", "#b baz")]
    public void Kick_of_several_targets_is_one_request_per_channel_and_user(string line, string first, string second)
    {
        var kicks = Requests(new CoreHarness().Registered().Run(line)).Cast<KickRequest>().Select(k => k.Channel + " " + k.Nick).ToList();
        Assert.Equal([first, second], kicks);
    }

    [Fact]
    public void Names_of_several_channels_asks_each_without_an_end_then_ends_once_with_the_list()
    {
        var h = new CoreHarness().Registered();
        var effects = h.Run("NAMES #chan1,#chan2");
        Assert.Equal([new NamesRequest("#chan1", End: false), new NamesRequest("#chan2", End: false)], Requests(effects));
        Assert.IsType<Reply>(effects[^1]);
        Assert.Equal([":irc.test 366 alice #chan1,#chan2 :End of /NAMES list"], Lines(effects));
        Assert.Equal([new NamesRequest("#one")], Requests(h.Run("NAMES #one")));
    }

    [Theory]
    [InlineData("HELP")]
    [InlineData("HELPOP")]
    public void Help_and_helpop_answer_704_705_706_for_a_command_and_524_for_anything_else(string command)
    {
        var h = new CoreHarness().Registered();
        Assert.Equal(
            [":irc.test 704 alice PRIVMSG :PRIVMSG: at least 0 parameter(s)", ":irc.test 705 alice PRIVMSG :Needs registration", ":irc.test 706 alice PRIVMSG :End of /HELP"],
            Lines(h.Run(command + " privmsg")));
        Assert.Equal([":irc.test 524 alice THISISNOTACOMMAND :No help available on this topic"], Lines(h.Run(command + " THISISNOTACOMMAND")));
        Assert.StartsWith(":irc.test 704 alice * ", Lines(h.Run(command))[0]);
    }

    [Fact]
    public void A_line_that_is_not_utf8_is_refused_with_fail_invalid_utf8_and_utf8only_is_advertised()
    {
        var h = new CoreHarness().Registered();
        var r = CommandCore.InvalidUtf8(h.State, h.View, "PRIVMSG");
        Assert.Equal([":irc.test FAIL PRIVMSG INVALID_UTF8 :Message rejected, your IRC software MUST use UTF-8 encoding on this network"], Lines(r.Effects));
        Assert.Same(h.State, r.State);
        Assert.StartsWith(":irc.test FAIL * INVALID_UTF8 ", Lines(CommandCore.InvalidUtf8(h.State, h.View, null).Effects)[0]);
        Assert.Contains(h.Effects.OfType<Reply>(), e => e.Message.Command == "005" && e.Message.Params.Contains("UTF8ONLY"));
    }

    [Fact]
    public void Privmsg_to_at_or_plus_channel_is_a_statusmsg_for_that_channel()
    {
        var h = new CoreHarness().Registered();
        var requests = Requests(h.Run("PRIVMSG @#chan,+#other,bob :for ops")).Cast<MessageRequest>().ToList();
        Assert.Equal([("#chan", (char?)'@'), ("#other", '+'), ("bob", null)], requests.Select(r => (r.Target, r.Status)));
        Assert.Contains(h.Effects.OfType<Reply>(), e => e.Message.Command == "005" && e.Message.Params.Contains("STATUSMSG=@+"));
    }
}
