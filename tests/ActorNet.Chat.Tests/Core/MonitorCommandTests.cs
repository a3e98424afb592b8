using ActorNet.Chat.Core;
using ActorNet.Chat.Settings;
using Xunit;
using static ActorNet.Chat.Tests.Core.CoreHarness;

namespace ActorNet.Chat.Tests.Core;

/// <summary>MONITOR and SETNAME in the pure core: the list in the state, wire lines, what goes to the service.</summary>
public sealed class MonitorCommandTests
{
    [Fact]
    public void Monitor_plus_adds_valid_nicks_once_and_asks_for_their_status()
    {
        var h = new CoreHarness().Registered();
        var effects = h.Run("MONITOR + Bob,carol,bob");
        Assert.Empty(Lines(effects));
        var status = Assert.IsType<MonitorStatusRequest>(Assert.Single(Requests(effects)));
        Assert.Equal(["Bob", "carol", "bob"], status.Nicks);
        Assert.Equal(["Bob", "carol"], h.State.Monitored.Values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Monitor_refuses_masks_with_432()
    {
        var h = new CoreHarness().Registered();
        var effects = h.Run("MONITOR + *!username@localhost");
        Assert.Equal([":irc.test 432 alice *!username@localhost :Erroneous nickname"], Lines(effects));
        Assert.Empty(Requests(effects));
        Assert.Empty(h.State.Monitored);
    }

    [Fact]
    public void Monitor_list_full_answers_734_with_the_targets_not_added()
    {
        var h = new CoreHarness(ChatSettings.Default with { ServerName = "irc.test", MaxMonitor = 2 }).Registered();
        var effects = h.Run("MONITOR + a,b,c,d");
        Assert.Equal([":irc.test 734 alice 2 c,d :Monitor list is full."], Lines(effects));
        Assert.Equal(["a", "b"], Assert.IsType<MonitorStatusRequest>(Assert.Single(Requests(effects))).Nicks);
        Assert.Equal(2, h.State.Monitored.Count);
    }

    [Fact]
    public void Monitor_minus_and_c_remove_silently_and_l_lists()
    {
        var h = new CoreHarness().Registered();
        h.Run("MONITOR + qux,bazbat,zed");
        Assert.Empty(h.Run("MONITOR - QUX"));
        Assert.Equal([":irc.test 732 alice bazbat,zed", ":irc.test 733 alice :End of MONITOR list"], Lines(h.Run("MONITOR L")));
        Assert.Empty(h.Run("MONITOR C"));
        Assert.Equal([":irc.test 733 alice :End of MONITOR list"], Lines(h.Run("MONITOR L")));
        Assert.Empty(h.Run("MONITOR S")); // nothing monitored: nothing to say
    }

    [Fact]
    public void Monitor_s_asks_for_every_monitored_nick_and_needs_a_target_for_plus()
    {
        var h = new CoreHarness().Registered();
        h.Run("MONITOR + bar,baz");
        Assert.Equal(["bar", "baz"], Assert.IsType<MonitorStatusRequest>(Assert.Single(Requests(h.Run("MONITOR S")))).Nicks.Order(StringComparer.Ordinal));
        Assert.Equal([":irc.test 461 alice MONITOR :Not enough parameters"], Lines(h.Run("MONITOR +")));
    }

    [Fact]
    public void Status_lines_are_730_with_the_source_and_731_with_the_nick()
    {
        var lines = MonitorCommands.Status("irc.test", "alice", ["bob!~b@h"], ["carol", "dave"]).Select(m => ActorNet.Chat.Protocol.IrcFormatter.ToLine(m)).ToList();
        Assert.Equal([":irc.test 730 alice bob!~b@h", ":irc.test 731 alice carol,dave"], lines);
    }

    [Fact]
    public void Long_lists_are_split_into_lines_below_the_limit()
    {
        var chunks = MonitorCommands.Chunks(Enumerable.Range(0, 100).Select(i => "nickname" + i)).ToList();
        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.True(c.Length <= MonitorCommands.ChunkBytes));
        Assert.Equal(100, chunks.SelectMany(c => c.Split(',')).Count());
    }

    [Fact]
    public void Setname_changes_the_realname_and_confirms_only_with_the_cap_after_the_others()
    {
        var h = new CoreHarness().Registered();
        var plain = Assert.IsType<PresenceRequest>(Assert.Single(Requests(h.Run("SETNAME :new name"))));
        Assert.Equal(":alice!~a@127.0.0.1 SETNAME :new name", ActorNet.Chat.Protocol.IrcFormatter.ToLine(plain.Line));
        Assert.Null(plain.Reply);
        Assert.Equal("new name", h.State.RealName);
        h.Run("CAP REQ setname");
        var effects = h.Run("SETNAME :other name");
        Assert.Empty(Lines(effects)); // the confirmation comes from the service, after the peers were told
        var p = Assert.IsType<PresenceRequest>(Assert.Single(Requests(effects)));
        Assert.Equal(CapCommands.Setname, p.Cap);
        Assert.Equal(":alice!~a@127.0.0.1 SETNAME :other name", ActorNet.Chat.Protocol.IrcFormatter.ToLine(p.Reply!));
        Assert.Equal("other name", h.State.RealName);
    }

    [Theory]
    [InlineData("AWAY :gone", ":alice!~a@127.0.0.1 AWAY gone", ":irc.test 306 alice :You have been marked as being away")]
    [InlineData("AWAY", ":alice!~a@127.0.0.1 AWAY", ":irc.test 305 alice :You are no longer marked as being away")]
    public void Away_asks_the_service_to_notify_then_reply(string command, string line, string reply)
    {
        var h = new CoreHarness().Registered();
        var p = Assert.IsType<PresenceRequest>(Assert.Single(Requests(h.Run(command))));
        Assert.Equal(CapCommands.AwayNotify, p.Cap);
        Assert.Equal(line, ActorNet.Chat.Protocol.IrcFormatter.ToLine(p.Line));
        Assert.Equal(reply, ActorNet.Chat.Protocol.IrcFormatter.ToLine(p.Reply!));
    }

    [Fact]
    public void Setname_refuses_an_empty_or_too_long_realname_with_fail()
    {
        var h = new CoreHarness().Registered();
        Assert.Equal([":irc.test FAIL SETNAME INVALID_REALNAME :Realname is not valid"], Lines(h.Run("SETNAME :")));
        Assert.Equal([":irc.test FAIL SETNAME INVALID_REALNAME :Realname is not valid"], Lines(h.Run("SETNAME :" + new string('x', 101))));
        Assert.Equal("Alice A", h.State.RealName);
    }

    [Fact]
    public void Monitor_and_the_new_caps_are_advertised()
    {
        var tokens = ActorNet.Chat.Protocol.ISupport.Tokens(ChatSettings.Default.ISupport);
        Assert.Contains("MONITOR=100", tokens);
        Assert.Contains(CapCommands.AwayNotify, CapCommands.Supported);
        Assert.Contains(CapCommands.ExtendedMonitor, CapCommands.Supported);
        Assert.Contains(CapCommands.Setname, CapCommands.Supported);
    }
}

/// <summary>INVITE without parameters: the channels the client was invited to (Modern IRC 336/337).</summary>
public sealed class InviteListTests
{
    [Fact]
    public void Invite_alone_lists_pending_invitations_and_a_join_uses_one_up()
    {
        var h = new CoreHarness().Registered();
        Assert.Equal([":irc.test 337 alice :End of /INVITE list"], Lines(h.Run("INVITE")));
        h.Apply(new InvitedEvent("#Chan"));
        h.Apply(new InvitedEvent("#other"));
        h.Apply(new InvitedEvent("#chan"));
        Assert.Equal([":irc.test 336 alice #Chan", ":irc.test 336 alice #other", ":irc.test 337 alice :End of /INVITE list"], Lines(h.Run("INVITE")));
        h.Apply(new JoinedEvent("#chan"));
        Assert.Equal([":irc.test 336 alice #other", ":irc.test 337 alice :End of /INVITE list"], Lines(h.Run("INVITE")));
        Assert.Equal([":irc.test 461 alice INVITE :Not enough parameters"], Lines(h.Run("INVITE bob")));
    }

    [Fact]
    public void Pending_invitations_are_bounded()
    {
        var h = new CoreHarness(ChatSettings.Default with { ServerName = "irc.test", MaxInvites = 2 }).Registered();
        foreach (var c in new[] { "#a", "#b", "#c" }) h.Apply(new InvitedEvent(c));
        Assert.Equal(["#b", "#c"], h.State.Invites);
    }
}

/// <summary>cap-notify: accepted without side effects; with LS 302 it is implicit and not listed.</summary>
public sealed class CapNotifyTests
{
    [Fact]
    public void Cap_notify_is_acked_and_ls_302_does_not_list_it()
    {
        var h = new CoreHarness();
        h.Run("CAP LS 302");
        Assert.Equal([":irc.test CAP * LIST "], Lines(h.Run("CAP LIST")).Select(l => l.TrimEnd(':')).ToList());
        Assert.Equal([":irc.test CAP * ACK cap-notify"], Lines(h.Run("CAP REQ cap-notify")));
        Assert.Equal([":irc.test CAP * ACK -cap-notify"], Lines(h.Run("CAP REQ -cap-notify")));
        Assert.Contains(CapCommands.InviteNotify, CapCommands.Supported);
    }
}
