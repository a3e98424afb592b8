using ActorNet.Chat.Core;
using ActorNet.Chat.Server;
using ActorNet.Chat.Settings;
using ActorNet.Transport;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit;
using static ActorNet.Chat.Tests.Actors.SessionHarness;

namespace ActorNet.Chat.Tests.Actors;

/// <summary>Channel modes +e (ban exceptions), +I (invite exceptions) and +C (no CTCP), as wire lines of one channel actor.</summary>
public sealed class ChannelListModesTests : ChannelWireTestKit
{
    private static bool Joins(IActorRef channel, Peer p)
    {
        Ask(channel, p, new JoinRequest("#Room", null));
        var joined = p.Session.ExpectMsg<ChatEvent>() is JoinedEvent;
        if (!joined) Lines(p);
        return joined;
    }

    private static List<string> Mode(IActorRef channel, Peer p, params string[] args)
    {
        Ask(channel, p, new ChannelModeRequest("#Room", args));
        p.Session.ExpectMsg<Completed>();
        return Lines(p);
    }

    [Fact]
    public void Invite_exception_lets_a_matching_user_into_an_invite_only_channel_and_is_listed()
    {
        var channel = NewChannel();
        var op = NewPeer("op");
        Assert.True(Joins(channel, op));
        Lines(op);
        Mode(channel, op, "+i");
        var bar = NewPeer("bar");
        Assert.False(Joins(channel, bar));
        Assert.Equal([":op!~op@h MODE #Room +I bar!*@*"], Mode(channel, op, "+I", "bar!*@*"));
        Assert.Equal([":irc.test 346 op #Room bar!*@*", ":irc.test 347 op #Room :End of channel invite exception list"], Mode(channel, op, "+I"));
        Assert.True(Joins(channel, bar));
        Ask(channel, bar, new PartRequest("#Room", null));
        bar.Session.ExpectMsg<LeftEvent>();
        Lines(op);
        Assert.Equal([":op!~op@h MODE #Room -I bar!*@*"], Mode(channel, op, "-I", "bar!*@*"));
        Assert.False(Joins(channel, bar));
    }

    [Fact]
    public void Ban_exception_overrides_a_ban_and_lists_with_348()
    {
        var channel = NewChannel();
        var op = NewPeer("op");
        Assert.True(Joins(channel, op));
        Lines(op);
        Mode(channel, op, "+b", "ba*!*@*");
        var bar = NewPeer("bar");
        Assert.False(Joins(channel, bar));
        Assert.Equal([":op!~op@h MODE #Room +e *ar!*@*"], Mode(channel, op, "+e", "*ar!*@*"));
        Assert.Equal([":irc.test 348 op #Room *ar!*@*", ":irc.test 349 op #Room :End of channel exception list"], Mode(channel, op, "e"));
        Assert.True(Joins(channel, bar));
    }

    [Fact]
    public void Exception_lists_are_bounded_by_max_list_entries()
    {
        var channel = NewChannel(ChatSettings.Default with { ServerName = "irc.test", MaxListEntries = 1 });
        var op = NewPeer("op");
        Assert.True(Joins(channel, op));
        Lines(op);
        Mode(channel, op, "+e", "a!*@*");
        Assert.Equal([":irc.test 478 op #Room e :Channel exception list is full"], Mode(channel, op, "+e", "b!*@*"));
        Mode(channel, op, "+I", "a!*@*"); // each list has its own bound
        Assert.Equal([":irc.test 478 op #Room I :Channel invite exception list is full"], Mode(channel, op, "+I", "b!*@*"));
    }

    [Fact]
    public void No_ctcp_mode_refuses_ctcp_but_not_action()
    {
        var channel = NewChannel();
        var op = NewPeer("op");
        var user = NewPeer("user");
        Assert.True(Joins(channel, op));
        Assert.True(Joins(channel, user));
        Lines(op); Lines(user);
        Mode(channel, op, "+C");
        Lines(user);
        Ask(channel, user, new MessageRequest("PRIVMSG", "#Room", "\u0001ACTION waves\u0001", []));
        user.Session.ExpectMsg<Completed>();
        Ask(channel, user, new MessageRequest("PRIVMSG", "#Room", "\u0001PING 1\u0001", []));
        user.Session.ExpectMsg<Completed>();
        Assert.Equal([":irc.test 404 user #Room :Cannot send to channel"], Lines(user));
        Assert.Equal([":user!~user@h PRIVMSG #Room :\u0001ACTION waves\u0001"], Lines(op));
        Assert.Equal([":irc.test 324 op #Room +Cnt", ":irc.test 329 op #Room 0"], Mode(channel, op).Select(l => l.StartsWith(":irc.test 329", StringComparison.Ordinal) ? ":irc.test 329 op #Room 0" : l).ToList());
    }

    [Fact]
    public void The_parser_knows_the_new_modes_and_lists_each_once()
    {
        var p = ChannelModeParser.Parse(["+eIbeC"]);
        Assert.Equal(['e', 'I', 'b'], p.Lists);
        Assert.True(p.ListBans);
        Assert.Equal([new ModeChange(true, 'C', null)], p.Changes);
        var tokens = ActorNet.Chat.Protocol.ISupport.Tokens(ChatSettings.Default.ISupport);
        Assert.Contains("CHANMODES=beI,k,l,Cimnpst", tokens);
        Assert.Contains("EXCEPTS=e", tokens);
        Assert.Contains("INVEX=I", tokens);
        Assert.Contains("MAXLIST=b:100,e:100,I:100", tokens);
    }
}

/// <summary>invite-notify: channel operators with the cap see an INVITE; other members do not.</summary>
public sealed class InviteNotifyTests : TestKit
{
    [Fact]
    public void Operators_with_invite_notify_see_the_invite_and_other_members_do_not()
    {
        var h = new SessionHarness(this);
        var (op, o) = h.Registered("op");
        var (op2, o2) = h.Registered("optwo");
        var (plain, p) = h.Registered("plain");
        h.Registered("guest");
        Send(op2, "CAP REQ invite-notify");
        Until(o2, "ACK");
        Send(plain, "CAP REQ invite-notify");
        Until(p, "ACK");
        foreach (var (s, c) in new[] { (op, o), (op2, o2), (plain, p) })
        {
            Send(s, "JOIN #room");
            Until(c, " 366 ");
        }

        Send(op, "MODE #room +o optwo");
        Until(o2, "MODE #room +o optwo");
        Until(p, "MODE #room +o optwo");
        Send(op, "INVITE guest #room");
        Assert.Equal(":op!~op@127.0.0.1 INVITE guest #room", Next(o2));
        Send(plain, "PING x");
        Assert.DoesNotContain(SessionHarness.Until(p, "PONG"), l => l.Contains(" INVITE "));
    }
}
