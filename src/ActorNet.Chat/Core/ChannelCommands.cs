using ActorNet.Chat.Protocol;

namespace ActorNet.Chat.Core;

/// <summary>Channel and message commands: the core validates and splits them; the chat service does the rest.</summary>
internal static class ChannelCommands
{
    /// <summary>At most this many targets per PRIVMSG/NOTICE (TARGMAX).</summary>
    public const int MaxTargets = 4;

    // RFC 2812 3.2.1: JOIN ( <channel> *( "," <channel> ) [ <key> *( "," <key> ) ] ) / "0"
    public static CoreResult Join(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        if (m.Params[0] == "0")
        {
            foreach (var channel in s.Channels) o.Ask(new PartRequest(channel, "Left all channels"));
            return o.Result;
        }

        var names = m.Params[0].Split(',', StringSplitOptions.RemoveEmptyEntries);
        var keys = m.Param(1)?.Split(',') ?? [];
        var joining = 0;
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            if (!IrcNames.IsValidChannel(name, v.Settings.ChannelLength, v.ChanTypes))
            {
                o.Send(Replies.NoSuchChannel(v.Server, s.NickOrStar, name));
                continue;
            }

            if (s.Channels.Contains(v.CaseMapping.Fold(name))) continue;
            if (s.Channels.Count + joining >= v.Settings.MaxChannelsPerUser)
            {
                o.Num(Numerics.ERR_TOOMANYCHANNELS, name, "You have joined too many channels");
                continue;
            }

            joining++;
            o.Ask(new JoinRequest(name, i < keys.Length && keys[i].Length > 0 ? keys[i] : null));
        }

        return o.Result;
    }

    // RFC 2812 3.2.2: PART <channel> *( "," <channel> ) [ <Part Message> ]
    public static CoreResult Part(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        var reason = m.Param(1) is { Length: > 0 } r ? Replies.Truncate(r, v.Settings.KickLength) : null;
        foreach (var name in m.Params[0].Split(',', StringSplitOptions.RemoveEmptyEntries)) o.Ask(new PartRequest(name, reason));
        return o.Result;
    }

    // RFC 2812 3.3.1: PRIVMSG <msgtarget> <text to be sent>
    public static CoreResult Privmsg(SessionState s, ChatView v, IrcMessage m) => Message(s, v, m, "PRIVMSG");

    // RFC 2812 3.3.2: NOTICE <msgtarget> <text>  (never answered with an error)
    public static CoreResult Notice(SessionState s, ChatView v, IrcMessage m) => Message(s, v, m, "NOTICE");

    // IRCv3 message-tags: TAGMSG <msgtarget>: only tags, relayed only to clients that enabled message-tags. Without
    // client-only tags there is nothing to relay (no reply either: TAGMSG, like NOTICE, is never answered with an error).
    public static CoreResult Tagmsg(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        if (!s.Has(CapCommands.MessageTags) || m.Params[0].Length == 0) return o.Result;
        var tags = m.Tags.Where(t => t.Key.StartsWith('+')).ToArray();
        var targets = m.Params[0].Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(v.CaseMapping);
        foreach (var target in targets.Take(MaxTargets)) o.Ask(new MessageRequest("TAGMSG", target, "", tags));
        return o.Result;
    }

    private static CoreResult Message(SessionState s, ChatView v, IrcMessage m, string command)
    {
        var o = new Out(s, v);
        var notice = command == "NOTICE";
        if (m.ParamCount == 0 || m.Params[0].Length == 0)
            return notice ? o.Result : o.Num(Numerics.ERR_NORECIPIENT, $"No recipient given ({command})").Result;
        if (m.ParamCount < 2 || m.Params[1].Length == 0)
            return notice ? o.Result : o.Num(Numerics.ERR_NOTEXTTOSEND, "No text to send").Result;
        var tags = s.Has(CapCommands.MessageTags)
            ? m.Tags.Where(t => t.Key.StartsWith('+')).ToArray()
            : [];
        var targets = m.Params[0].Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(v.CaseMapping).ToArray();
        foreach (var target in targets.Take(MaxTargets))
        {
            // STATUSMSG (ISUPPORT STATUSMSG=@+): "@#chan" to the channel's operators, "+#chan" to voiced and operators.
            if (target.Length > 1 && target[0] is '@' or '+' && IrcNames.IsChannelName(target[1..], v.ChanTypes))
                o.Ask(new MessageRequest(command, target[1..], m.Params[1], tags) { Status = target[0] });
            else
                o.Ask(new MessageRequest(command, target, m.Params[1], tags));
        }

        if (targets.Length > MaxTargets && !notice)
            o.Num("407", targets[MaxTargets], "Too many targets");
        return o.Result;
    }

    // RFC 2812 3.2.4: TOPIC <channel> [ <topic> ]
    public static CoreResult Topic(SessionState s, ChatView v, IrcMessage m) =>
        new Out(s, v).Ask(new TopicRequest(m.Params[0], m.ParamCount > 1 ? Replies.Truncate(m.Params[1], v.Settings.TopicLength) : null)).Result;

    // RFC 2812 3.2.8: KICK <channel> *( "," <channel> ) <user> *( "," <user> ) [<comment>]
    public static CoreResult Kick(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        var reason = Replies.Truncate(m.Param(2) is { Length: > 0 } r ? r : s.NickOrStar, v.Settings.KickLength);
        var channels = m.Params[0].Split(',', StringSplitOptions.RemoveEmptyEntries);
        var nicks = m.Params[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (channels.Length == 0 || nicks.Length == 0) return o.Num(Numerics.ERR_NEEDMOREPARAMS, "KICK", "Not enough parameters").Result;
        // RFC 2812 3.2.8: one channel and several users kicks each from it; otherwise channel i goes with user i.
        // Every KICK sent to clients names one channel and one user.
        if (channels.Length == 1)
            foreach (var nick in nicks) o.Ask(new KickRequest(channels[0], nick, reason));
        else
            for (var i = 0; i < Math.Min(channels.Length, nicks.Length); i++) o.Ask(new KickRequest(channels[i], nicks[i], reason));
        return o.Result;
    }

    // RFC 2812 3.2.7: INVITE <nickname> <channel>
    public static CoreResult Invite(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        switch (m.ParamCount)
        {
            case 0: // Modern IRC: INVITE alone lists the channels the client is invited to (336, 337)
                foreach (var channel in s.Invites) o.Num(Numerics.RPL_INVITELISTCMD, channel);
                return o.Num(Numerics.RPL_ENDOFINVITELISTCMD, "End of /INVITE list").Result;
            case 1:
                return o.Num(Numerics.ERR_NEEDMOREPARAMS, "INVITE", "Not enough parameters").Result;
            default:
                return o.Ask(new InviteRequest(m.Params[0], m.Params[1])).Result;
        }
    }

    // RFC 2812 3.2.5: NAMES [ <channel> *( "," <channel> ) [ <target> ] ]
    public static CoreResult Names(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        if (m.ParamCount == 0) return o.Num(Numerics.RPL_ENDOFNAMES, "*", "End of /NAMES list").Result;
        var names = m.Params[0].Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length <= 1) return o.Ask(new NamesRequest(names.Length == 0 ? m.Params[0] : names[0])).Result;
        // Several channels: their 353s, then one 366 naming the list as given (Modern IRC, irctest names.py).
        foreach (var name in names) o.Ask(new NamesRequest(name, End: false));
        return o.Num(Numerics.RPL_ENDOFNAMES, m.Params[0], "End of /NAMES list").Result;
    }

    // RFC 2812 3.2.6: LIST [ <channel> *( "," <channel> ) [ <target> ] ]
    public static CoreResult List(SessionState s, ChatView v, IrcMessage m)
    {
        var (names, filter) = ListFilter.Parse(m.Param(0));
        return new Out(s, v).Ask(new ListRequest(names) { Filter = filter }).Result;
    }
}
