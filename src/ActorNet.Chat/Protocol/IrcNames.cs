using System.Text;

namespace ActorNet.Chat.Protocol;

/// <summary>Validation of nicknames and channel names (RFC 2812 §2.3.1).</summary>
public static class IrcNames
{
    /// <summary>The default channel prefixes (CHANTYPES).</summary>
    public const string DefaultChanTypes = "#&";

    /// <summary>
    /// RFC 2812: <c>nickname = ( letter / special ) *( letter / digit / special / "-" )</c> with
    /// <c>special = "[" / "]" / "\" / "`" / "_" / "^" / "{" / "|" / "}"</c>; at most <paramref name="maxLen"/> characters.
    /// </summary>
    public static bool IsValidNick(string? nick, int maxLen)
    {
        if (string.IsNullOrEmpty(nick) || nick.Length > maxLen)
        {
            return false;
        }

        if (!char.IsAsciiLetter(nick[0]) && !IsSpecial(nick[0]))
        {
            return false;
        }

        for (var i = 1; i < nick.Length; i++)
        {
            var c = nick[i];
            if (!char.IsAsciiLetterOrDigit(c) && !IsSpecial(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A channel name: one of <paramref name="chanTypes"/> (default "#&amp;") then at least one character, none of them
    /// space, comma, ':' (RFC 2812 channel mask separator), BEL or another control character (C0, DEL, C1),
    /// nor a lone surrogate;
    /// at most <paramref name="maxLen"/> UTF-8 bytes in total (RFC lengths are in octets).
    /// </summary>
    public static bool IsValidChannel(string? channel, int maxLen, string chanTypes = DefaultChanTypes)
    {
        if (string.IsNullOrEmpty(channel) || channel.Length < 2 || chanTypes.IndexOf(channel[0]) < 0)
        {
            return false;
        }

        foreach (var c in channel.AsSpan(1))
        {
            if (c is ' ' or ',' or ':' || char.IsControl(c))
            {
                return false;
            }
        }

        return IsWellFormed(channel) && Encoding.UTF8.GetByteCount(channel) <= maxLen;
    }

    /// <summary>Whether <paramref name="target"/> starts with one of <paramref name="chanTypes"/> (a channel target).</summary>
    public static bool IsChannelName(string? target, string chanTypes = DefaultChanTypes) =>
        !string.IsNullOrEmpty(target) && chanTypes.IndexOf(target[0]) >= 0;

    private static bool IsSpecial(char c) => c is '[' or ']' or '\\' or '`' or '_' or '^' or '{' or '|' or '}';

    /// <summary>No lone surrogates (they could not be sent as UTF-8).</summary>
    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
