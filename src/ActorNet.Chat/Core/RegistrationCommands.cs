using ActorNet.Chat.Protocol;
using ActorNet.Transport;

namespace ActorNet.Chat.Core;

/// <summary>PASS, NICK, USER and the welcome burst.</summary>
internal static class RegistrationCommands
{
    /// <summary>User modes and channel modes advertised in 004.</summary>
    public const string UserModes = "Biow";
    public const string ChannelModes = "biklmnopstv";
    public const string ChannelModesWithParam = "bklov";

    // RFC 2812 3.1.1: PASS <password>
    public static CoreResult Pass(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        if (s.Registered) return o.Num(Numerics.ERR_ALREADYREGISTERED, "You may not reregister").Result;
        o.State = s with { Password = m.Params[0] };
        return o.Result;
    }

    // RFC 2812 3.1.2: NICK <nickname>
    public static CoreResult Nick(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        var nick = m.Param(0);
        if (string.IsNullOrEmpty(nick)) return o.Num(Numerics.ERR_NONICKNAMEGIVEN, "No nickname given").Result;
        if (!IrcNames.IsValidNick(nick, v.Settings.NickLength)) return o.Num(Numerics.ERR_ERRONEUSNICKNAME, nick, "Erroneous nickname").Result;
        if (s.Registered)
        {
            if (nick == s.Nick) return o.Result;
            return o.Ask(new ChangeNickRequest(nick)).Result;
        }

        o.State = s with { Nick = nick };
        TryRegister(o);
        return o.Result;
    }

    // RFC 2812 3.1.3: USER <user> <mode> <unused> <realname>
    public static CoreResult User(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        if (s.Registered) return o.Num(Numerics.ERR_ALREADYREGISTERED, "You may not reregister").Result;
        var user = new string(m.Params[0].Where(c => c > ' ' && c is not ('@' or '!' or ':' or ',') && c != '\x7F').Take(10).ToArray());
        // Modern IRC: <username> and <realname> must not be empty; an empty parameter is answered with 461 too.
        if (user.Length == 0 || m.Params[3].Length == 0) return o.Num(Numerics.ERR_NEEDMOREPARAMS, "USER", "Not enough parameters").Result;
        var mode = m.Params[1];
        o.State = s with
        {
            User = "~" + user,
            RealName = Replies.Truncate(m.Params[3], 100),
            Invisible = s.Invisible || (int.TryParse(mode, out var bits) && (bits & 8) != 0),
            Wallops = s.Wallops || (int.TryParse(mode, out var bits2) && (bits2 & 4) != 0),
        };
        TryRegister(o);
        return o.Result;
    }

    /// <summary>NICK and USER given and no CAP negotiation open: check the password and ask the service for the nick.</summary>
    public static void TryRegister(Out o)
    {
        var s = o.State;
        if (s.Registered || s.RegistrationPending || s.Nick is null || s.User is null || s.CapNegotiating) return;
        var required = o.View.Settings.Password;
        if (required is not null && !ActorNet.Security.Secrets.EqualsConstantTime(s.Password, required))
        {
            o.Num(Numerics.ERR_PASSWDMISMATCH, "Password incorrect");
            o.Close(DisconnectReason.HandlerClosed, $"Closing link: {s.Host} (Bad password)");
            return;
        }

        o.State = s with { RegistrationPending = true };
        o.Ask(new RegisterRequest(s.Nick, o.State));
    }

    /// <summary>001–005, LUSERS and the MOTD.</summary>
    public static void Welcome(Out o, LusersCounts counts)
    {
        var s = o.State;
        var v = o.View;
        o.Num(Numerics.RPL_WELCOME, $"Welcome to the {v.Settings.NetworkName} Internet Relay Chat Network {s.Prefix}");
        o.Num(Numerics.RPL_YOURHOST, $"Your host is {v.Server}, running version {ChatView.Version}");
        o.Num(Numerics.RPL_CREATED, $"This server was created {v.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        o.Num(Numerics.RPL_MYINFO, v.Server, ChatView.Version, UserModes, ChannelModes, ChannelModesWithParam);
        foreach (var line in ISupport.BuildReplies(v.Server, s.NickOrStar, v.Settings.ISupport)) o.Send(line);
        foreach (var line in Replies.Lusers(v.Server, s.NickOrStar, counts)) o.Send(line);
        ServerCommands.WriteMotd(o);
        if (s.UserModes != "+") o.Send(IrcMessage.FromSource(s.Nick, "MODE", s.NickOrStar, s.UserModes));
    }
}
