using System.Globalization;
using System.Net;
using ActorNet.Chat.Protocol;

namespace ActorNet.Chat.Core;

/// <summary>One user as a WHO reply shows it.</summary>
/// <param name="Channel">the channel of a WHO #chan, else "*"</param>
/// <param name="Flags">H or G, then * for an operator, B for a bot, then the channel prefixes</param>
public sealed record WhoEntry(string Channel, string User, string Host, string Server, string Nick, string Flags, int Hops, string RealName)
{
    /// <summary>Seconds idle (WHOX <c>l</c>); 0 for users of other nodes, whose activity is not known here.</summary>
    public long Idle { get; init; }
}

/// <summary>
/// IRCv3 WHOX (https://ircv3.net/specs/extensions/whox): <c>WHO &lt;mask&gt; %&lt;fields&gt;[,&lt;token&gt;]</c>. The
/// fields come back in the spec's fixed order <c>t c u i h s n f d l a o r</c>, whatever order they were asked in.
/// </summary>
public sealed record WhoxQuery(string Fields, string? Token)
{
    /// <summary>Every field letter, in reply order.</summary>
    public const string Order = "tcuihsnfdlaor";

    /// <summary>The WHOX query of WHO's second parameter (<c>%fields[,token]</c>), or null when it is not one
    /// (plain WHO, or the RFC's "o" flag). Unknown letters are ignored; a token must be 1-3 digits.</summary>
    public static WhoxQuery? Parse(string? parameter)
    {
        if (parameter is not ['%', ..]) return null;
        var comma = parameter.IndexOf(',');
        var fields = comma < 0 ? parameter[1..] : parameter[1..comma];
        var token = comma < 0 ? null : parameter[(comma + 1)..];
        if (token is not { Length: >= 1 and <= 3 } || !token.All(char.IsAsciiDigit)) token = null;
        return new WhoxQuery(new string(Order.Where(fields.Contains).ToArray()), token);
    }
}

/// <summary>The reply lines of WHO: 352 (RFC 2812 3.6.1) or 354 (WHOX), and 315.</summary>
public static class WhoReplies
{
    public static IrcMessage Line(string server, string asker, WhoEntry e, WhoxQuery? whox)
    {
        if (whox is null)
            return Replies.Numeric(server, Numerics.RPL_WHOREPLY, asker, e.Channel, e.User, e.Host, e.Server, e.Nick, e.Flags,
                e.Hops.ToString(CultureInfo.InvariantCulture) + " " + e.RealName);
        var p = new List<string>(whox.Fields.Length);
        foreach (var field in whox.Fields)
            p.Add(field switch
            {
                't' => whox.Token ?? "0",
                'c' => e.Channel,
                'u' => e.User,
                'i' => IPAddress.TryParse(e.Host, out _) ? e.Host : "255.255.255.255", // hosts here are addresses; else the spec's placeholder
                'h' => e.Host,
                's' => e.Server,
                'n' => e.Nick,
                'f' => e.Flags,
                'd' => e.Hops.ToString(CultureInfo.InvariantCulture),
                'l' => e.Idle.ToString(CultureInfo.InvariantCulture),
                'a' => "0", // no accounts (no SASL/services): "0" is the spec's "not logged in"
                'o' => "n/a", // no operator levels
                _ => e.RealName, // 'r'
            });
        return Replies.Numeric(server, Numerics.RPL_WHOSPCRPL, asker, [.. p]);
    }

    public static IrcMessage End(string server, string asker, string mask) =>
        Replies.Numeric(server, Numerics.RPL_ENDOFWHO, asker, mask, "End of /WHO list");
}
