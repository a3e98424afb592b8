using ActorNet.Chat.Core;
using ActorNet.Chat.Server;
using ActorNet.Chat.Settings;
using ActorNet.Transport;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorNet.Chat.Tests.Actors;

/// <summary>What irctest checks of a channel (msgid, TAGMSG, +s, NAMES, keys, 401/441) and the channel's limits
/// (MAXLIST, pending invites, WHO), as wire lines from one channel actor.</summary>
public sealed class ChannelConformanceTests : ChannelWireTestKit
{
    private static void Join(IActorRef channel, Peer p)
    {
        Ask(channel, p, new JoinRequest("#Room", null));
        p.Session.ExpectMsg<JoinedEvent>();
        Lines(p);
    }

    [Fact]
    public void A_privmsg_carries_one_msgid_for_every_message_tags_member_and_the_echo_and_none_for_others()
    {
        var channel = NewChannel();
        var alice = NewPeer("alice", CapCommands.MessageTags, CapCommands.EchoMessage);
        var bob = NewPeer("bob", CapCommands.MessageTags);
        var carol = NewPeer("carol");
        foreach (var p in new[] { alice, bob, carol }) Join(channel, p);
        Lines(alice); Lines(bob);

        Ask(channel, alice, new MessageRequest("PRIVMSG", "#room", "hi", [new("+baz", "bat")]));
        var echo = Assert.Single(Lines(alice));
        var relayed = Assert.Single(Lines(bob));
        var parsed = ActorNet.Chat.Protocol.IrcParser.Parse(relayed);
        Assert.Equal("bat", parsed.GetTag("+baz"));
        Assert.Matches("^[A-Za-z0-9_-]{22}$", parsed.GetTag("msgid"));
        Assert.EndsWith(" :alice!~alice@h PRIVMSG #Room hi", relayed);
        Assert.Equal(relayed, echo); // the same id (and bytes) for the echo
        Assert.Equal([":alice!~alice@h PRIVMSG #Room hi"], Lines(carol));
        Ask(channel, alice, new MessageRequest("PRIVMSG", "#room", "again", []));
        Assert.NotEqual(parsed.GetTag("msgid"), ActorNet.Chat.Protocol.IrcParser.Parse(Assert.Single(Lines(bob))).GetTag("msgid")); // a new id
    }

    [Fact]
    public void Tagmsg_reaches_only_members_with_message_tags()
    {
        var channel = NewChannel();
        var alice = NewPeer("alice", CapCommands.MessageTags);
        var bob = NewPeer("bob", CapCommands.MessageTags);
        var carol = NewPeer("carol");
        foreach (var p in new[] { alice, bob, carol }) Join(channel, p);
        Lines(alice); Lines(bob);

        Ask(channel, alice, new MessageRequest("TAGMSG", "#room", "", [new("+typing", "active")]));
        alice.Session.ExpectMsg<Completed>();
        Assert.Matches("^@\\+typing=active;msgid=\\S+ :alice!~alice@h TAGMSG #Room$", Assert.Single(Lines(bob)));
        Assert.Empty(Lines(carol));
        Assert.Empty(Lines(alice)); // no echo-message
    }

    [Fact]
    public void Secret_channel_names_use_the_at_symbol_and_userhost_in_names_gives_full_masks()
    {
        var channel = NewChannel();
        var alice = NewPeer("alice", CapCommands.UserhostInNames);
        Join(channel, alice);
        Ask(channel, alice, new ChannelModeRequest("#room", ["+s"]));
        Assert.Equal([":alice!~alice@h MODE #Room +s"], Lines(alice));
        Ask(channel, alice, new NamesRequest("#room"));
        Assert.Equal([":irc.test 353 alice @ #Room @alice!~alice@h", ":irc.test 366 alice #Room :End of /NAMES list"], Lines(alice));

        var outsider = NewPeer("eve");
        Ask(channel, outsider, new NamesRequest("#room"));
        Assert.Equal([":irc.test 366 eve #Room :End of /NAMES list"], Lines(outsider)); // +s: not shown to non-members
        Ask(channel, outsider, new NamesRequest("#room", End: false));
        Assert.Empty(Lines(outsider));
        Ask(channel, alice, new ChannelModeRequest("#room", []));
        Assert.Equal(":irc.test 324 alice #Room +nst", Lines(alice)[0]);
    }

    [Fact]
    public void An_invalid_key_is_696_with_a_star_and_op_of_a_missing_nick_is_401_or_441()
    {
        var channel = NewChannel();
        var alice = NewPeer("alice");
        Join(channel, alice);
        Ask(channel, alice, new ChannelModeRequest("#room", ["+k", "with space"]));
        Assert.Equal([":irc.test 696 alice #Room k * :Invalid key"], Lines(alice));
        Ask(channel, alice, new ChannelModeRequest("#room", ["+o", "nobody"]) { NoSuchNicks = ["nobody"] });
        Assert.Equal([":irc.test 401 alice nobody :No such nick/channel"], Lines(alice));
        Ask(channel, alice, new ChannelModeRequest("#room", ["+o", "elsewhere"]));
        Assert.Equal([":irc.test 441 alice elsewhere #Room :They aren't on that channel"], Lines(alice));
    }

    [Fact]
    public void The_ban_list_is_bounded_by_max_list_entries_with_478()
    {
        var channel = NewChannel(ChatSettings.Default with { ServerName = "irc.test", MaxListEntries = 2 });
        var alice = NewPeer("alice");
        Join(channel, alice);
        Ask(channel, alice, new ChannelModeRequest("#room", ["+bbb", "a!*@*", "b!*@*", "c!*@*"]));
        Assert.Equal([":irc.test 478 alice #Room b :Channel ban list is full", ":alice!~alice@h MODE #Room +bb a!*@* b!*@*"], Lines(alice));
        Ask(channel, alice, new ChannelModeRequest("#room", ["+b"]));
        Assert.Equal(3, Lines(alice).Count); // two 367 and the 368
    }

    [Fact]
    public void Pending_invites_are_bounded_the_oldest_is_forgotten()
    {
        var channel = NewChannel(ChatSettings.Default with { ServerName = "irc.test", MaxInvites = 2 });
        var alice = NewPeer("alice");
        Join(channel, alice);
        Ask(channel, alice, new ChannelModeRequest("#room", ["+i"]));
        Lines(alice);
        var invitees = new[] { NewPeer("u1"), NewPeer("u2"), NewPeer("u3") };
        foreach (var u in invitees)
        {
            channel.Tell(new ToChannel(new FromSession(alice.Session.Ref, alice.Connection.Ref, new InviteRequest(u.Ref.Nick, "#room")), alice.Ref, u.Ref));
            Assert.Equal("#Room", u.Session.ExpectMsg<InvitedEvent>().Name); // kept by the invitee's session for INVITE (336)
            Lines(u);
        }

        Ask(channel, invitees[0], new JoinRequest("#room", null)); // its invitation was the oldest: forgotten
        Assert.Equal([":irc.test 473 u1 #Room :Cannot join channel (+i)"], Lines(invitees[0]));
        Join(channel, invitees[2]);
    }

    [Fact]
    public void Who_of_a_channel_answers_at_most_max_who_replies_lines_then_the_end()
    {
        var channel = NewChannel(ChatSettings.Default with { ServerName = "irc.test", MaxWhoReplies = 2 });
        var peers = Enumerable.Range(0, 4).Select(i => NewPeer("p" + i)).ToArray();
        foreach (var p in peers) Join(channel, p);
        Lines(peers[0]);
        Ask(channel, peers[0], new WhoRequest("#room"));
        var lines = Lines(peers[0]);
        Assert.Equal(2, lines.Count(l => l.Contains(" 352 ")));
        Assert.Equal(":irc.test 315 p0 #Room :End of /WHO list", lines[^1]);
    }

    [Fact]
    public void A_bots_messages_carry_the_bot_tag_for_message_tags_members_and_who_shows_flag_b()
    {
        var channel = NewChannel();
        var bot = NewPeer("robo");
        bot = bot with { Ref = bot.Ref with { State = bot.Ref.State with { Bot = true } } };
        var user = NewPeer("user", CapCommands.MessageTags);
        var plain = NewPeer("plain");
        foreach (var p in new[] { bot, user, plain }) Join(channel, p);
        Lines(bot); Lines(user);

        Ask(channel, bot, new MessageRequest("PRIVMSG", "#room", "beep", []));
        var tagged = ActorNet.Chat.Protocol.IrcParser.Parse(Assert.Single(Lines(user)));
        Assert.Contains(tagged.Tags, t => t.Key == "bot" && t.Value is null or "");
        Assert.Equal([":robo!~robo@h PRIVMSG #Room beep"], Lines(plain));
        Ask(channel, user, new WhoRequest("#room"));
        Assert.Contains(Lines(user), l => l.Contains(" robo HB@ "));
    }

    [Fact]
    public void A_statusmsg_reaches_only_the_operators()
    {
        var channel = NewChannel();
        var op = NewPeer("chanop");
        var joe = NewPeer("joe");
        var schmoe = NewPeer("schmoe");
        foreach (var p in new[] { op, joe, schmoe }) Join(channel, p);
        Lines(op); Lines(joe);
        Ask(channel, schmoe, new MessageRequest("PRIVMSG", "#room", "for operators", []) { Status = '@' });
        schmoe.Session.ExpectMsg<Completed>();
        Assert.Equal([":schmoe!~schmoe@h PRIVMSG @#Room :for operators"], Lines(op));
        Assert.Empty(Lines(joe));
        Assert.Empty(Lines(schmoe));
    }
}
