using System.Globalization;
using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using Akka.Actor;

namespace ActorNet.Chat.Server;

/// <summary>MODE on a channel: listing (324/329, the ban, exception and invite-exception lists) and applying
/// +C +i +m +n +t +p +s +k +l +b +e +I +o +v.</summary>
public sealed partial class ChannelActor
{
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
        Publish(who, mode, new ModesChanged(applied.ToArray()));
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
