using System.Globalization;
using System.Text;

namespace ActorNet.Chat.Protocol;

/// <summary>What the server advertises in RPL_ISUPPORT (005). Defaults follow common ircd practice.</summary>
/// <param name="NetworkName">NETWORK=; may contain spaces (escaped as \x20).</param>
public sealed record ISupportSettings(string NetworkName)
{
    /// <summary>NICKLEN: maximum nickname length.</summary>
    public int NickLen { get; init; } = 30;

    /// <summary>CHANNELLEN: maximum channel name length, in bytes.</summary>
    public int ChannelLen { get; init; } = 50;

    /// <summary>TOPICLEN: maximum topic length, in bytes.</summary>
    public int TopicLen { get; init; } = 390;

    /// <summary>AWAYLEN: maximum away message length, in bytes.</summary>
    public int AwayLen { get; init; } = 200;

    /// <summary>KICKLEN: maximum kick reason length, in bytes.</summary>
    public int KickLen { get; init; } = 255;

    /// <summary>CASEMAPPING.</summary>
    public CaseMapping CaseMapping { get; init; } = CaseMapping.Rfc1459;

    /// <summary>CHANTYPES: channel prefixes.</summary>
    public string ChanTypes { get; init; } = IrcNames.DefaultChanTypes;

    /// <summary>PREFIX: channel membership modes and their nick prefixes.</summary>
    public string Prefix { get; init; } = "(ov)@+";

    /// <summary>CHANMODES: list (A), always-parameter (B), parameter-when-set (C), flag (D) modes.</summary>
    public string ChanModes { get; init; } = "b,k,l,imnpst";

    /// <summary>MODES: parameter-taking modes per MODE command.</summary>
    public int Modes { get; init; } = 4;

    /// <summary>CHANLIMIT: channels a client may join (for all of <see cref="ChanTypes"/>); 0 = no token.</summary>
    public int ChanLimit { get; init; } = 20;

    /// <summary>Extra tokens appended verbatim (e.g. "SAFELIST", "TARGMAX=PRIVMSG:4,NOTICE:4").</summary>
    public IReadOnlyList<string> Extra { get; init; } = [];
}

/// <summary>Builds the RPL_ISUPPORT (005) replies sent after registration.</summary>
public static class ISupport
{
    /// <summary>The fixed trailing text of every 005 line.</summary>
    public const string Trailer = "are supported by this server";

    /// <summary>The most tokens one 005 line carries (leaves room for target and trailer in 15 params).</summary>
    public const int MaxTokensPerLine = 13;

    /// <summary>The tokens for <paramref name="s"/>, in alphabetical order, extras last.</summary>
    public static IReadOnlyList<string> Tokens(ISupportSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var inv = CultureInfo.InvariantCulture;
        var list = new List<string>(16 + s.Extra.Count)
        {
            "AWAYLEN=" + s.AwayLen.ToString(inv),
            "CASEMAPPING=" + s.CaseMapping.Name,
        };
        if (s.ChanLimit > 0)
        {
            list.Add($"CHANLIMIT={EscapeValue(s.ChanTypes)}:{s.ChanLimit.ToString(inv)}");
        }

        list.Add("CHANMODES=" + EscapeValue(s.ChanModes));
        list.Add("CHANNELLEN=" + s.ChannelLen.ToString(inv));
        list.Add("CHANTYPES=" + EscapeValue(s.ChanTypes));
        list.Add("KICKLEN=" + s.KickLen.ToString(inv));
        list.Add("MODES=" + s.Modes.ToString(inv));
        list.Add("NETWORK=" + EscapeValue(s.NetworkName));
        list.Add("NICKLEN=" + s.NickLen.ToString(inv));
        list.Add("PREFIX=" + EscapeValue(s.Prefix));
        list.Add("TOPICLEN=" + s.TopicLen.ToString(inv));
        list.AddRange(s.Extra.Where(t => !string.IsNullOrEmpty(t)));
        return list;
    }

    /// <summary>
    /// The 005 messages <c>:server 005 nick TOKEN... :are supported by this server</c>: at most
    /// <see cref="MaxTokensPerLine"/> tokens each, and never more than 510 bytes per line.
    /// </summary>
    public static IReadOnlyList<IrcMessage> BuildReplies(string serverName, string nick, ISupportSettings settings)
    {
        var tokens = Tokens(settings);
        var fixedBytes = Encoding.UTF8.GetByteCount(serverName) + Encoding.UTF8.GetByteCount(nick)
            + ":".Length + " 005 ".Length + " :".Length + Trailer.Length;
        var replies = new List<IrcMessage>();
        var line = new List<string>(MaxTokensPerLine + 2) { nick };
        var used = fixedBytes;
        foreach (var token in tokens)
        {
            var cost = 1 + Encoding.UTF8.GetByteCount(token);
            if (line.Count > 1 && (line.Count - 1 == MaxTokensPerLine || used + cost > IrcParser.MaxBodyBytes))
            {
                replies.Add(Flush(serverName, line));
                line = new List<string>(MaxTokensPerLine + 2) { nick };
                used = fixedBytes;
            }

            line.Add(token);
            used += cost;
        }

        if (line.Count > 1)
        {
            replies.Add(Flush(serverName, line));
        }

        return replies;
    }

    /// <summary>Escapes an ISUPPORT value: space, '\', '=' and control characters as <c>\xHH</c>.</summary>
    public static string EscapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static bool NeedsEscape(char c) => c is ' ' or '\\' or '=' || c < ' ' || c == '\x7F';

    private static IrcMessage Flush(string serverName, List<string> line)
    {
        line.Add(Trailer);
        return new IrcMessage(serverName, Numerics.RPL_ISUPPORT, line);
    }
}
