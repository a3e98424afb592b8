using ActorNet.Chat.Protocol;

namespace ActorNet.Chat.Core;

/// <summary>Commands about users: AWAY, OPER, MODE, USERHOST, ISON, WHO, WHOIS, WHOWAS, KILL, WALLOPS.</summary>
internal static class UserCommands
{
    // RFC 2812 4.1: AWAY [<text>]
    public static CoreResult Away(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        if (m.Param(0) is not { Length: > 0 } text)
        {
            o.State = s with { Away = null };
            return o.Ask(new PresenceRequest(CapCommands.AwayNotify, IrcMessage.FromSource(s.Prefix, "AWAY"),
                Replies.Numeric(v.Server, Numerics.RPL_UNAWAY, s.NickOrStar, "You are no longer marked as being away"))).Result;
        }

        var away = Replies.Truncate(text, v.Settings.AwayLength);
        o.State = s with { Away = away };
        // away-notify (channel peers) and extended-monitor (watchers) get the AWAY line; the 306 comes after it
        return o.Ask(new PresenceRequest(CapCommands.AwayNotify, IrcMessage.FromSource(s.Prefix, "AWAY", away),
            Replies.Numeric(v.Server, Numerics.RPL_NOWAWAY, s.NickOrStar, "You have been marked as being away"))).Result;
    }

    // RFC 2812 3.1.4: OPER <name> <password>
    public static CoreResult Oper(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        if (!v.Settings.Opers.TryGetValue(m.Params[0], out var stored))
            return o.Effect(new OperFailed(m.Params[0], UnknownName: true)).Num(Numerics.ERR_NOOPERHOST, "No O-lines for your host").Result;
        if (!Settings.OperPassword.Matches(stored, m.Params[1]))
            return o.Effect(new OperFailed(m.Params[0], UnknownName: false)).Num(Numerics.ERR_PASSWDMISMATCH, "Password incorrect").Result;
        if (s.Oper) return o.Num(Numerics.RPL_YOUREOPER, "You are now an IRC operator").Result;
        o.State = s with { Oper = true };
        o.Num(Numerics.RPL_YOUREOPER, "You are now an IRC operator");
        return o.Send(IrcMessage.FromSource(s.Nick, "MODE", s.NickOrStar, "+o")).Result;
    }

    /// <summary>OPER from an address that failed too often: refused without looking at the password.</summary>
    public static CoreResult OperThrottled(SessionState s, ChatView v, TimeSpan retryAfter) =>
        new Out(s, v).Num(Numerics.ERR_PASSWDMISMATCH,
            $"Too many failed OPER attempts; try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))}s").Result;

    // RFC 2812 3.1.5: MODE <nickname> *( ( "+" / "-" ) *( "i" / "w" / "o" ) ); channels: RFC 2812 3.2.3
    public static CoreResult Mode(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        var target = m.Params[0];
        if (IrcNames.IsChannelName(target, v.ChanTypes))
            return o.Ask(new ChannelModeRequest(target, m.Params.Skip(1).ToArray())).Result;
        if (!v.CaseMapping.Equals(target, s.Nick))
            return o.Num(Numerics.ERR_USERSDONTMATCH, "Can't change mode for other users").Result;
        if (m.ParamCount < 2) return o.Num(Numerics.RPL_UMODEIS, s.UserModes).Result;

        var state = s;
        var applied = new System.Text.StringBuilder();
        var sign = '+';
        var lastSign = ' ';
        var unknown = false;
        foreach (var c in m.Params[1])
        {
            if (c is '+' or '-')
            {
                sign = c;
                continue;
            }

            var add = sign == '+';
            bool changed;
            switch (c)
            {
                case 'i':
                    changed = state.Invisible != add;
                    state = state with { Invisible = add };
                    break;
                case 'w':
                    changed = state.Wallops != add;
                    state = state with { Wallops = add };
                    break;
                case 'B':
                    changed = state.Bot != add;
                    state = state with { Bot = add };
                    break;
                case 'o':
                    changed = !add && state.Oper; // +o only through OPER
                    if (changed) state = state with { Oper = false };
                    break;
                default:
                    unknown = true;
                    continue;
            }

            if (!changed) continue;
            if (lastSign != sign) applied.Append(sign);
            lastSign = sign;
            applied.Append(c);
        }

        o.State = state;
        if (unknown) o.Num(Numerics.ERR_UMODEUNKNOWNFLAG, "Unknown MODE flag");
        if (applied.Length > 0) o.Send(IrcMessage.FromSource(s.Prefix, "MODE", s.NickOrStar, applied.ToString()));
        return o.Result;
    }

    // RFC 2812 4.8: USERHOST <nickname> *( SPACE <nickname> )  (at most 5)
    public static CoreResult Userhost(SessionState s, ChatView v, IrcMessage m) =>
        new Out(s, v).Ask(new UserhostRequest(SplitWords(m.Params).Take(5).ToArray())).Result;

    // RFC 2812 4.9: ISON <nickname> *( SPACE <nickname> )
    public static CoreResult Ison(SessionState s, ChatView v, IrcMessage m) =>
        new Out(s, v).Ask(new IsonRequest(SplitWords(m.Params).ToArray())).Result;

    // RFC 2812 3.6.1: WHO [ <mask> [ "o" ] ]; IRCv3 WHOX: WHO <mask> %<fields>[,<token>]
    public static CoreResult Who(SessionState s, ChatView v, IrcMessage m) =>
        new Out(s, v).Ask(new WhoRequest(m.Param(0) is { Length: > 0 } mask ? mask : "*", WhoxQuery.Parse(m.Param(1)))).Result;

    // RFC 2812 3.6.2: WHOIS [ <target> ] <mask> *( "," <mask> )
    public static CoreResult Whois(SessionState s, ChatView v, IrcMessage m)
    {
        var nick = m.Params[m.ParamCount >= 2 ? 1 : 0].Split(',')[0];
        var o = new Out(s, v);
        return nick.Length == 0 ? o.Num(Numerics.ERR_NONICKNAMEGIVEN, "No nickname given").Result : o.Ask(new WhoisRequest(nick)).Result;
    }

    // RFC 2812 3.6.3: WHOWAS <nickname> *( "," <nickname> ) [ <count> [ <target> ] ]; Modern: a count that is not
    // a positive number means a full search.
    public static CoreResult Whowas(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        var nick = m.Params[0].Split(',')[0];
        if (nick.Length == 0) return o.Num(Numerics.ERR_NONICKNAMEGIVEN, "No nickname given").Result;
        var count = int.TryParse(m.Param(1), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0;
        return o.Ask(new WhowasRequest(nick, count)).Result;
    }

    // RFC 2812 3.7.1: KILL <nickname> <comment>
    public static CoreResult Kill(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        if (!s.Oper) return o.Send(Replies.NoPrivileges(v.Server, s.NickOrStar)).Result;
        return o.Ask(new KillRequest(m.Params[0], m.Params[1])).Result;
    }

    // RFC 2812 4.2: REHASH — operators only; 382 <config file> :Rehashing, then the outcome (NOTICEs from the session)
    public static CoreResult Rehash(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        if (!s.Oper) return o.Send(Replies.NoPrivileges(v.Server, s.NickOrStar)).Result;
        return o.Num(Numerics.RPL_REHASHING, "node.conf", "Rehashing").Effect(RehashRequested.Instance).Result;
    }

    // RFC 2812 4.7: WALLOPS <Text to be sent>
    public static CoreResult WallopsCommand(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        if (!s.Oper) return o.Send(Replies.NoPrivileges(v.Server, s.NickOrStar)).Result;
        return o.Ask(new WallopsRequest(m.Params[0])).Result;
    }

    private static IEnumerable<string> SplitWords(IReadOnlyList<string> parameters) =>
        parameters.SelectMany(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
