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
        _members[who.Session] = member;
        _byNick[who.Nick] = who.Session;
        _invited.Remove(who.Nick);
        Context.Parent.Tell(new Membership(_key, who.Session, true, member.Prefixes(false)));
        Context.Parent.Tell(Info());
        var join = From(who, "JOIN", _name);
        BroadcastWithSelf(join, who);
        Publish("JOIN", who, join, op: member.Op);
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
        Publish("PART", who, part);
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
        Publish(m.Command, who, message);
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
        Publish("TOPIC", who, message, topic: newTopic);
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
            Publish("KICK", who, kick, target: remoteTarget.Info.Nick);
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
        Publish("KICK", who, kicked, target: target.Ref.Nick);
        Remove(targetSession);
        targetSession.Tell(new LeftEvent(_key, false));
        AfterLeave();
    }

    private void Invite(MemberRef who, MemberRef target)
    {
        if (!_members.TryGetValue(who.Session, out var inviter))
        {
            Reply(who, Numerics.ERR_NOTONCHANNEL, _name, "You're not on that channel");
            return;
        }

        if (_inviteOnly && !inviter.Op)
        {
            Reply(who, Numerics.ERR_CHANOPRIVSNEEDED, _name, "You're not channel operator");
            return;
        }

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
        // invite-notify: the channel's operators that asked for it see the INVITE too (other members are not told:
        // RFC 2812 3.2.7; the spec leaves the choice of who to the server)
        foreach (var m in _members.Values)
            if (m.Op && m.Ref.State.Has(CapCommands.InviteNotify) && !m.Ref.Session.Equals(who.Session))
                m.Ref.Connection.Tell(m.Variant(invite), ActorRefs.NoSender);
        if (target.State.Away is { } away) Reply(who, Numerics.RPL_AWAY, target.Nick, away);
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

    private void Mode(MemberRef who, IReadOnlyList<string> args, IReadOnlyList<string>? noSuchNicks = null)
    {
        _members.TryGetValue(who.Session, out var member);
        if (args.Count == 0)
        {
            var modes = "+" + (_noCtcp ? "C" : "") + (_inviteOnly ? "i" : "") + (_channelKey is not null ? "k" : "") + (_limit is not null ? "l" : "")
                + (_moderated ? "m" : "") + (_noExternal ? "n" : "") + (_private ? "p" : "") + (_secret ? "s" : "") + (_topicLocked ? "t" : "");
            var modeArgs = new List<string> { _name, modes };
            if (_channelKey is not null) modeArgs.Add(member is not null ? _channelKey : "*");
            if (_limit is { } l) modeArgs.Add(l.ToString(CultureInfo.InvariantCulture));
            Reply(who, Numerics.RPL_CHANNELMODEIS, modeArgs.ToArray());
            Reply(who, Numerics.RPL_CREATIONTIME, _name, Replies.Unix(_created));
            return;
        }

        var parsed = ChannelModeParser.Parse(args, _settings.ISupport.Modes);
        foreach (var c in parsed.Unknown) Reply(who, Numerics.ERR_UNKNOWNMODE, c.ToString(), "is unknown mode char to me");
        foreach (var list in parsed.Lists)
        {
            var (entry, end, text) = list switch
            {
                'e' => (Numerics.RPL_EXCEPTLIST, Numerics.RPL_ENDOFEXCEPTLIST, "End of channel exception list"),
                'I' => (Numerics.RPL_INVITELIST, Numerics.RPL_ENDOFINVITELIST, "End of channel invite exception list"),
                _ => (Numerics.RPL_BANLIST, Numerics.RPL_ENDOFBANLIST, "End of channel ban list"),
            };
            foreach (var mask in ListOf(list)) Reply(who, entry, _name, mask);
            Reply(who, end, _name, text);
        }

        if (parsed.Changes.Count == 0 && parsed.MissingArg.Count == 0) return;
        if (member is null)
        {
            Reply(who, Numerics.ERR_NOTONCHANNEL, _name, "You're not on that channel");
            return;
        }

        if (!member.Op)
        {
            Reply(who, Numerics.ERR_CHANOPRIVSNEEDED, _name, "You're not channel operator");
            return;
        }

        foreach (var c in parsed.MissingArg)
            Reply(who, Numerics.ERR_INVALIDMODEPARAM, _name, c.ToString(), "*", $"You must specify a parameter for the {c} mode");
        var applied = new List<ModeChange>();
        foreach (var change in parsed.Changes)
            if (ApplyMode(who, change, noSuchNicks ?? []) is { } done) applied.Add(done);
        if (applied.Count == 0) return;
        var mode = From(who, "MODE", [_name, .. ChannelModeParser.Format(applied)]);
        BroadcastWithSelf(mode, who);
        Publish("MODE", who, mode);
    }

    /// <summary>Applies one change; returns what to announce, or null when nothing changed (errors already sent).</summary>
    private ModeChange? ApplyMode(MemberRef who, ModeChange c, IReadOnlyList<string> noSuchNicks)
    {
        switch (c.Mode)
        {
            case 'C': return Flag(ref _noCtcp, c);
            case 'i': return Flag(ref _inviteOnly, c);
            case 'm': return Flag(ref _moderated, c);
            case 'n': return Flag(ref _noExternal, c);
            case 't': return Flag(ref _topicLocked, c);
            case 'p': return Flag(ref _private, c);
            case 's':
                var secret = Flag(ref _secret, c);
                if (secret is not null) Context.Parent.Tell(Info()); // LIST hides it from now on (or shows it again)
                return secret;
            case 'k':
                if (!c.Add)
                {
                    if (_channelKey is null) return null;
                    _channelKey = null;
                    return c with { Arg = "*" };
                }

                var key = c.Arg ?? "";
                if (key.Any(ch => ch is ' ' or ',' || char.IsControl(ch)) || key.Length > 23)
                {
                    Reply(who, Numerics.ERR_INVALIDMODEPARAM, _name, "k", "*", "Invalid key");
                    return null;
                }

                _channelKey = c.Arg;
                return c;
            case 'l':
                if (!c.Add)
                {
                    if (_limit is null) return null;
                    _limit = null;
                    return c;
                }

                if (!int.TryParse(c.Arg, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit <= 0)
                {
                    Reply(who, Numerics.ERR_INVALIDMODEPARAM, _name, "l", c.Arg!, "Invalid limit mode parameter");
                    return null;
                }

                _limit = limit;
                return c with { Arg = limit.ToString(CultureInfo.InvariantCulture) };
            case 'b' or 'e' or 'I':
                var list = ListOf(c.Mode);
                var mask = NormalizeMask(c.Arg!);
                var existing = list.FindIndex(b => _settings.CaseMapping.Equals(b, mask));
                if (c.Add == existing >= 0) return null;
                if (c.Add && list.Count >= _settings.MaxListEntries)
                {
                    Reply(who, Numerics.ERR_BANLISTFULL, _name, c.Mode.ToString(), c.Mode switch { 'e' => "Channel exception list is full", 'I' => "Channel invite exception list is full", _ => "Channel ban list is full" }); // MAXLIST
                    return null;
                }

                if (c.Add) list.Add(mask);
                else list.RemoveAt(existing);
                return c with { Arg = mask };
            case 'o' or 'v' when _remote.TryGetValue(c.Arg!, out var remote):
                if ((c.Mode == 'o' ? remote.Op : remote.Voice) == c.Add) return null;
                if (c.Mode == 'o') remote.Op = c.Add;
                else remote.Voice = c.Add;
                return c with { Arg = remote.Info.Nick };
            case 'o' or 'v':
                if (!_byNick.TryGetValue(c.Arg!, out var session) || !_members.TryGetValue(session, out var target))
                {
                    if (noSuchNicks.Contains(c.Arg!, _settings.CaseMapping)) Reply(who, Numerics.ERR_NOSUCHNICK, c.Arg!, "No such nick/channel");
                    else Reply(who, Numerics.ERR_USERNOTINCHANNEL, c.Arg!, _name, "They aren't on that channel");
                    return null;
                }

                var was = c.Mode == 'o' ? target.Op : target.Voice;
                if (was == c.Add) return null;
                if (c.Mode == 'o') target.Op = c.Add;
                else target.Voice = c.Add;
                Context.Parent.Tell(new Membership(_key, session, true, target.Prefixes(false))); // WHOIS shows it
                return c with { Arg = target.Ref.Nick };
            default:
                return null;
        }
    }

    private static ModeChange? Flag(ref bool flag, ModeChange c)
    {
        if (flag == c.Add) return null;
        flag = c.Add;
        return c;
    }

    /// <summary>nick → nick!*@*, user@host → *!user@host, as servers do.</summary>
    private static string NormalizeMask(string mask)
    {
        if (mask.Contains('!')) return mask.Contains('@') ? mask : mask + "@*";
        return mask.Contains('@') ? "*!" + mask : mask + "!*@*";
    }
}
