using System.Globalization;
using ActorNet.Chat.Protocol;

namespace ActorNet.Chat.Core;

/// <summary>Builds numeric replies (<c>:server NNN target params...</c>) and common error texts. Pure.</summary>
public static class Replies
{
    /// <summary><c>:server code target p1 p2 ...</c></summary>
    public static IrcMessage Numeric(string server, string code, string target, params string[] parameters)
    {
        var all = new string[parameters.Length + 1];
        all[0] = target;
        parameters.CopyTo(all, 1);
        return new IrcMessage(server, code, all);
    }

    public static IrcMessage NeedMoreParams(string server, string target, string command) =>
        Numeric(server, Numerics.ERR_NEEDMOREPARAMS, target, command, "Not enough parameters");

    public static IrcMessage NoSuchNick(string server, string target, string nick) =>
        Numeric(server, Numerics.ERR_NOSUCHNICK, target, nick, "No such nick/channel");

    public static IrcMessage NoSuchChannel(string server, string target, string channel) =>
        Numeric(server, Numerics.ERR_NOSUCHCHANNEL, target, channel, "No such channel");

    public static IrcMessage NotOnChannel(string server, string target, string channel) =>
        Numeric(server, Numerics.ERR_NOTONCHANNEL, target, channel, "You're not on that channel");

    public static IrcMessage ChanOpPrivsNeeded(string server, string target, string channel) =>
        Numeric(server, Numerics.ERR_CHANOPRIVSNEEDED, target, channel, "You're not channel operator");

    public static IrcMessage NoPrivileges(string server, string target) =>
        Numeric(server, Numerics.ERR_NOPRIVILEGES, target, "Permission Denied- You're not an IRC operator");

    /// <summary>Unix seconds, as IRC numerics carry times.</summary>
    public static string Unix(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The 251–255, 265, 266 burst.</summary>
    public static IEnumerable<IrcMessage> Lusers(string server, string nick, LusersCounts c)
    {
        var inv = CultureInfo.InvariantCulture;
        // one node: global = local; in a cluster 251/252/266 count every node, 253/255/265 this one (its clients,
        // and the other nodes as the servers it is linked to); channels are known to every node already
        var g = c.Global ?? new GlobalCounts(1, c.Users, c.Invisible, c.Opers, c.MaxUsers);
        yield return Numeric(server, Numerics.RPL_LUSERCLIENT, nick,
            $"There are {g.Users - g.Invisible} users and {g.Invisible} invisible on {g.Servers} servers");
        yield return Numeric(server, Numerics.RPL_LUSEROP, nick, g.Opers.ToString(inv), "operator(s) online");
        yield return Numeric(server, Numerics.RPL_LUSERUNKNOWN, nick, c.Unknown.ToString(inv), "unknown connection(s)");
        yield return Numeric(server, Numerics.RPL_LUSERCHANNELS, nick, c.Channels.ToString(inv), "channels formed");
        yield return Numeric(server, Numerics.RPL_LUSERME, nick, $"I have {c.Users} clients and {g.Servers - 1} servers");
        yield return Numeric(server, Numerics.RPL_LOCALUSERS, nick, c.Users.ToString(inv), c.MaxUsers.ToString(inv),
            $"Current local users {c.Users}, max {c.MaxUsers}");
        yield return Numeric(server, Numerics.RPL_GLOBALUSERS, nick, g.Users.ToString(inv), g.MaxUsers.ToString(inv),
            $"Current global users {g.Users}, max {g.MaxUsers}");
    }

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxBytes"/> UTF-8 bytes without splitting a character.</summary>
    public static string Truncate(string text, int maxBytes)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(text) <= maxBytes) return text;
        var bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var n = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 4 : text[i] < 0x80 ? 1 : text[i] < 0x800 ? 2 : 3;
            if (bytes + n > maxBytes) return text[..i];
            bytes += n;
            if (n == 4) i++;
        }

        return text;
    }
}
