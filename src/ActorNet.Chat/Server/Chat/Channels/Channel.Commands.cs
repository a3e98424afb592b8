using ActorNet.Chat.Cluster;
using System.Globalization;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using Akka.Actor;

namespace ActorNet.Chat.Server;

public sealed partial class ChannelActor
{
    /// <param name="who">the joiner, with the connection its replies go to</param>
    /// <param name="keep">the joiner as the channel keeps it (its own connection)</param>
    private void Join(MemberRef who, string? key, MemberRef keep)
    {
        if (_members.ContainsKey(who.Session))
        {
            who.Session.Tell(Completed.Instance);
            return;
        }

        var invited = _invited.Contains(who.Nick);
        string? refusal = null;
        if (_limit is { } limit && _members.Count >= limit && !invited) refusal = Numerics.ERR_CHANNELISFULL + " Cannot join channel (+l)";
        else if (_inviteOnly && !invited && !IsInviteExcepted(who)) refusal = Numerics.ERR_INVITEONLYCHAN + " Cannot join channel (+i)";
        else if (IsBanned(who) && !invited) refusal = Numerics.ERR_BANNEDFROMCHAN + " Cannot join channel (+b)";
        else if (_channelKey is not null && key != _channelKey) refusal = Numerics.ERR_BADCHANNELKEY + " Cannot join channel (+k)";
        if (refusal is not null)
        {
            Reply(who, refusal[..3], _name, refusal[4..]);
            who.Session.Tell(Completed.Instance);
            return;
        }

        var member = new Member(keep) { Op = TotalMembers == 0 };
        if (member.Op) Found();
        _members[who.Session] = member;
        _byNick[who.Nick] = who.Session;
        _invited.Remove(who.Nick);
        Context.Parent.Tell(new Membership(_key, who.Session, true, member.Prefixes(false)));
        Context.Parent.Tell(Info());
        var join = From(who, "JOIN", _name);
        BroadcastWithSelf(join, who);
        Publish(who, join, new MemberJoined(member.Op, CurrentModes(), _stamp));
        // away-notify: "when a user joins and has an away message set", after its JOIN
        if (who.State.Away is { } away)
            SendToCap(From(who, "AWAY", away), CapCommands.AwayNotify, System.Collections.Immutable.ImmutableHashSet.Create(who.Connection));
        if (_topic is not null)
        {
            Reply(who, Numerics.RPL_TOPIC, _name, _topic);
            Reply(who, Numerics.RPL_TOPICWHOTIME, _name, _topicSetter, Replies.Unix(_topicTime));
        }

        Names(who);
        who.Session.Tell(new JoinedEvent(_key));
    }

    private void Part(MemberRef who, string? reason)
    {
        if (!_members.ContainsKey(who.Session))
        {
            Reply(who, Numerics.ERR_NOTONCHANNEL, _name, "You're not on that channel");
            who.Session.Tell(Completed.Instance);
            return;
        }

        var part = reason is null ? From(who, "PART", _name) : From(who, "PART", _name, reason);
        BroadcastWithSelf(part, who);
        Publish(who, part, MemberParted.Instance);
        Remove(who.Session);
        who.Session.Tell(new LeftEvent(_key, true));
        AfterLeave();
    }

    private void Message(MemberRef who, MessageRequest m)
    {
        var notice = m.Command == "NOTICE";
        _members.TryGetValue(who.Session, out var sender);
        // Straight from the session (not through the chat service): its state may be newer than the channel's copy
        // (e.g. CAP REQ server-time just before), and the MemberUpdated the service sends for it may still be on the way.
        if (sender is not null && !ReferenceEquals(sender.Ref.State, who.State) && sender.Ref.Nick == who.Nick)
            sender.Ref = sender.Ref.Connection.Equals(who.Connection) ? who : who with { Connection = sender.Ref.Connection };
        // labeled-response: the echo goes to the request's connection (the session), not with the member's copies
        var echoApart = sender is not null && !sender.Ref.Connection.Equals(who.Connection);
        var canSend = sender is not null
            ? (!_moderated && !IsBanned(who)) || sender.Op || sender.Voice
            : !_noExternal && !_moderated && !IsBanned(who);
        // +C (Modern IRC "no CTCP"): CTCP other than ACTION is refused with 404
        if (_noCtcp && m.Text is ['\x01', ..] && !m.Text.StartsWith("\u0001ACTION ", StringComparison.Ordinal)) canSend = false;
        if (!canSend)
        {
            FlushPending(); // the error after what this client was sent before it
            if (!notice) Reply(who, Numerics.ERR_CANNOTSENDTOCHAN, _name, "Cannot send to channel");
            return;
        }

        var echo = who.State.Has(CapCommands.EchoMessage);
        if (m.Command == "TAGMSG")
        {
            // Only to members that enabled message-tags (IRCv3: never to clients without it), so not in the
            // batch, which every member gets; what was batched before it goes first.
            FlushPending();
            var tagmsg = new Outgoing(new IrcMessage(who.State.Prefix, "TAGMSG", [_name]), _time.GetUtcNow(), Outgoing.WithBotTag(m.Tags, who.State.Bot), assignMsgId: true);
            foreach (var member in _members.Values)
                if (member.MessageTags && ((echo && !echoApart) || !member.Ref.Session.Equals(who.Session))) member.Ref.Connection.Tell(member.Variant(tagmsg), ActorRefs.NoSender);
            if (echo && (sender is null || echoApart)) who.Connection.Tell(tagmsg.For(who.State.Caps), ActorRefs.NoSender);
            return;
        }

        if (m.Status is { } status)
        {
            // STATUSMSG: to the members with that prefix or a higher one, not batched (the batch goes to everyone).
            FlushPending();
            var toStatus = new Outgoing(new IrcMessage(who.State.Prefix, m.Command, [status + _name, m.Text]), _time.GetUtcNow(),
                Outgoing.WithBotTag(m.Tags, who.State.Bot), assignMsgId: true);
            foreach (var member in _members.Values)
                if ((member.Op || (status == '+' && member.Voice)) && ((echo && !echoApart) || !member.Ref.Session.Equals(who.Session)))
                    member.Ref.Connection.Tell(member.Variant(toStatus), ActorRefs.NoSender);
            if (echo && (sender is null || echoApart)) who.Connection.Tell(toStatus.For(who.State.Caps), ActorRefs.NoSender);
            return;
        }

        // One msgid per message: every member's variant and the sender's echo carry the same one.
        var message = new Outgoing(new IrcMessage(who.State.Prefix, m.Command, [_name, m.Text]), _time.GetUtcNow(), Outgoing.WithBotTag(m.Tags, who.State.Bot), assignMsgId: true);
        BroadcastBatched(message, except: echo && !echoApart ? null : who.Session);
        if (echo && (sender is null || echoApart))
        {
            FlushPending();
            who.Connection.Tell(message.For(who.State.Caps), ActorRefs.NoSender);
        }
        Publish(who, message, new ChannelMessage(m.Command == "NOTICE" ? MessageKind.Notice : MessageKind.Privmsg));
    }

    private void Topic(MemberRef who, string? newTopic)
    {
        _members.TryGetValue(who.Session, out var member);
        if (newTopic is null)
        {
            if (_topic is null)
            {
                Reply(who, Numerics.RPL_NOTOPIC, _name, "No topic is set");
                return;
            }

            Reply(who, Numerics.RPL_TOPIC, _name, _topic);
            Reply(who, Numerics.RPL_TOPICWHOTIME, _name, _topicSetter, Replies.Unix(_topicTime));
            return;
        }

        if (member is null)
        {
            Reply(who, Numerics.ERR_NOTONCHANNEL, _name, "You're not on that channel");
            return;
        }

        if (_topicLocked && !member.Op)
        {
            Reply(who, Numerics.ERR_CHANOPRIVSNEEDED, _name, "You're not channel operator");
            return;
        }

        _topic = newTopic.Length == 0 ? null : newTopic;
        _topicSetter = who.State.Prefix;
        _topicTime = _time.GetUtcNow();
        var message = From(who, "TOPIC", _name, newTopic);
        BroadcastWithSelf(message, who);
        Publish(who, message, new TopicChanged(_topic));
        Context.Parent.Tell(Info());
    }

    private void Kick(MemberRef who, string nick, string reason)
    {
        if (!_members.TryGetValue(who.Session, out var kicker))
        {
            Reply(who, Numerics.ERR_NOTONCHANNEL, _name, "You're not on that channel");
            return;
        }

        if (!kicker.Op)
        {
            Reply(who, Numerics.ERR_CHANOPRIVSNEEDED, _name, "You're not channel operator");
            return;
        }

        if (_remote.TryGetValue(nick, out var remoteTarget))
        {
            var kick = From(who, "KICK", _name, remoteTarget.Info.Nick, reason);
            BroadcastWithSelf(kick, who);
            Publish(who, kick, new MemberKicked(remoteTarget.Info.Nick));
            _remote.Remove(nick);
            AfterLeave();
            return;
        }

        if (!_byNick.TryGetValue(nick, out var targetSession) || !_members.TryGetValue(targetSession, out var target))
        {
            Reply(who, Numerics.ERR_USERNOTINCHANNEL, nick, _name, "They aren't on that channel");
            return;
        }

        var kicked = From(who, "KICK", _name, target.Ref.Nick, reason);
        BroadcastWithSelf(kicked, who);
        Publish(who, kicked, new MemberKicked(target.Ref.Nick));
        Remove(targetSession);
        targetSession.Tell(new LeftEvent(_key, false));
        AfterLeave();
    }

    private void Invite(MemberRef who, MemberRef target)
    {
        if (!MayInvite(who)) return;

        if (_members.ContainsKey(target.Session))
        {
            Reply(who, Numerics.ERR_USERONCHANNEL, target.Nick, _name, "is already on channel");
            return;
        }

        RememberInvite(target.Nick);
        target.Session.Tell(new InvitedEvent(_name));
        Reply(who, Numerics.RPL_INVITING, target.Nick, _name);
        var invite = From(who, "INVITE", target.Nick, _name);
        target.Connection.Tell(invite.For(target.State.Caps), ActorRefs.NoSender);
        NotifyInvite(invite, except: who.Session);
        if (target.State.Away is { } away) Reply(who, Numerics.RPL_AWAY, target.Nick, away);
    }

    /// <summary>users → channel (cluster mode): a local user was invited here by a user of another node (which
    /// checked the INVITE): it may JOIN past +i/+l/+b here, where its JOIN is checked.</summary>
    public sealed record RemoteInvited(string Nick, Outgoing Line);

    /// <summary>INVITE of a user of another node: checked here like a local one, then the line goes to the
    /// target's node, which remembers the invitation in its copy of this channel and shows the target the line.</summary>
    private void InviteRemote(MemberRef who, RemoteInvitee far)
    {
        if (!MayInvite(who)) return;

        var nick = far.Info.Nick;
        if (_remote.ContainsKey(nick))
        {
            Reply(who, Numerics.ERR_USERONCHANNEL, nick, _name, "is already on channel");
            return;
        }

        var invite = From(who, "INVITE", nick, _name);
        far.Users.Tell(new RemoteInvite(far.Self, nick, _key, _name, WireLine.From(invite)), ActorRefs.NoSender);
        Reply(who, Numerics.RPL_INVITING, nick, _name);
        NotifyInvite(invite, except: who.Session);
        if (far.Info.Away is { } away) Reply(who, Numerics.RPL_AWAY, nick, away);
    }

    private void OnRemoteInvited(RemoteInvited i)
    {
        RememberInvite(i.Nick);
        NotifyInvite(i.Line, except: null);
    }

    /// <summary>Who may INVITE here (local or remote target alike): a member, and on a +i channel an operator.</summary>
    private bool MayInvite(MemberRef who)
    {
        if (!_members.TryGetValue(who.Session, out var inviter))
        {
            Reply(who, Numerics.ERR_NOTONCHANNEL, _name, "You're not on that channel");
            return false;
        }

        if (_inviteOnly && !inviter.Op)
        {
            Reply(who, Numerics.ERR_CHANOPRIVSNEEDED, _name, "You're not channel operator");
            return false;
        }

        return true;
    }

    /// <summary>invite-notify: the channel's operators that asked for it see the INVITE too (other members are not
    /// told: RFC 2812 3.2.7 leaves the choice of who to the server).</summary>
    private void NotifyInvite(Outgoing invite, IActorRef? except)
    {
        foreach (var m in _members.Values)
            if (m.Op && m.Ref.State.Has(CapCommands.InviteNotify) && !m.Ref.Session.Equals(except))
                m.Ref.Connection.Tell(m.Variant(invite), ActorRefs.NoSender);
    }

    private void Names(MemberRef who, bool end = true)
    {
        var multi = who.State.Has(CapCommands.MultiPrefix);
        // IRCv3 userhost-in-names: nick!user@host instead of the nick.
        var full = who.State.Has(CapCommands.UserhostInNames);
        // RFC 2812 3.2.5 / Modern: a +s channel is not shown to non-members (only the end).
        if (_secret && !_members.ContainsKey(who.Session))
        {
            if (end) Reply(who, Numerics.RPL_ENDOFNAMES, _name, "End of /NAMES list");
            return;
        }

        var names = _members.Values.Select(m => m.Prefixes(multi) + (full ? m.Ref.State.Prefix : m.Ref.Nick))
            .Concat(_remote.Values.Select(r => r.Prefixes(multi) + (full ? r.Info.Prefix : r.Info.Nick))).ToList();
        // 353's symbol: "@" secret, "*" private, "=" public; lines kept under the 512-byte limit with full hosts.
        var symbol = _secret ? "@" : _private ? "*" : "=";
        var perLine = full ? 8 : 40;
        for (var i = 0; i < names.Count; i += perLine)
            Reply(who, Numerics.RPL_NAMREPLY, symbol, _name, string.Join(' ', names.Skip(i).Take(perLine)));
        if (end) Reply(who, Numerics.RPL_ENDOFNAMES, _name, "End of /NAMES list");
    }

    private void Who(MemberRef who, WhoxQuery? whox)
    {
        var multi = who.State.Has(CapCommands.MultiPrefix);
        var left = _settings.MaxWhoReplies; // one WHO cannot hold the channel for a huge member list
        foreach (var m in _members.Values)
        {
            if (left-- <= 0) break;
            var s = m.Ref.State;
            var flags = (s.Away is null ? "H" : "G") + (s.Oper ? "*" : "") + (s.Bot ? "B" : "") + m.Prefixes(multi);
            Send(who, WhoReplies.Line(Server, who.Nick, new WhoEntry(_name, s.User ?? "*", s.Host, Server, s.NickOrStar, flags, 0, s.RealName ?? "") { Idle = s.IdleSeconds(_time.GetUtcNow()) }, whox));
        }

        foreach (var r in _remote.Values)
        {
            if (left-- <= 0) break;
            var i = r.Info;
            var flags = (i.Away is null ? "H" : "G") + (i.Oper ? "*" : "") + r.Prefixes(multi);
            Send(who, WhoReplies.Line(Server, who.Nick, new WhoEntry(_name, i.User ?? "*", i.Host, Server, i.Nick, flags, 1, i.RealName ?? ""), whox));
        }

        Send(who, WhoReplies.End(Server, who.Nick, _name));
    }

    private static void Send(MemberRef to, IrcMessage line) =>
        to.Connection.Tell(new Transport.Connection.Send(Outgoing.Encode(line)), ActorRefs.NoSender);
}
