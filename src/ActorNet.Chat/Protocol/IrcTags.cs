using System.Buffers;
using System.Globalization;
using System.Text;

namespace ActorNet.Chat.Protocol;

/// <summary>
/// IRCv3 message-tags helpers: parsing a tags section, value escaping/unescaping, key validation, and the
/// <c>time</c> tag of server-time (https://ircv3.net/specs/extensions/message-tags, .../server-time).
/// </summary>
public static class IrcTags
{
    /// <summary>The server-time tag key.</summary>
    public const string TimeKey = "time";

    /// <summary>The IRCv3 message-ids tag key (https://ircv3.net/specs/extensions/message-ids).</summary>
    public const string MsgIdKey = "msgid";

    /// <summary>A new msgid: 128 random bits as 22 base64url characters. Unique across the cluster without
    /// coordination (no node prefix or counter to share: 128 bits from each process's own randomly seeded
    /// generator), and a valid tag value (no escaping needed). <see cref="Random.Shared"/>, not the cryptographic
    /// generator: a msgid is an identifier, not a secret, and one is drawn per channel message (the OS generator's
    /// call, the padded base64 string and two Replace copies cost about 4x as much).</summary>
    public static string NewMsgId() => string.Create(22, 0, static (chars, _) =>
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        System.Buffers.Text.Base64Url.EncodeToChars(bytes, chars);
    });

    /// <summary>The server-time value format: ISO 8601 UTC with milliseconds, e.g. 2011-10-19T16:40:51.620Z.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static readonly SearchValues<char> EscapeNeeded = SearchValues.Create("; \\\r\n\0");

    /// <summary>Formats <paramref name="time"/> as a server-time tag value.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses a server-time tag value (UTC, 'Z' suffix, milliseconds optional).</summary>
    public static bool TryParseTime(string? value, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(
            value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>
    /// Whether <paramref name="key"/> is a valid tag key: <c>['+'] [vendor '/'] name</c> where name is
    /// letters, digits and '-', and vendor is a host name (letters, digits, '-' and '.').
    /// </summary>
    public static bool IsValidKey(ReadOnlySpan<char> key)
    {
        if (!key.IsEmpty && key[0] == '+')
        {
            key = key[1..];
        }

        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (name.IsEmpty || slash == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        if (slash > 0)
        {
            foreach (var c in key[..slash])
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Reverses tag value escaping: <c>\:</c> ';', <c>\s</c> ' ', <c>\\</c> '\', <c>\r</c> CR, <c>\n</c> LF;
    /// a backslash before any other character is dropped, and a lone trailing backslash is dropped.</summary>
    public static string Unescape(string value)
    {
        var first = value.IndexOf('\\');
        if (first < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        sb.Append(value, 0, first);
        for (var i = first; i < value.Length; i++)
        {
            var c = value[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= value.Length)
            {
                break;
            }

            sb.Append(value[i] switch
            {
                ':' => ';',
                's' => ' ',
                'r' => '\r',
                'n' => '\n',
                var other => other,
            });
        }

        return sb.ToString();
    }

    /// <summary>Escapes a tag value for the wire (the inverse of <see cref="Unescape"/>); NUL is dropped.</summary>
    public static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny(EscapeNeeded) < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case ';': sb.Append("\\:"); break;
                case ' ': sb.Append("\\s"); break;
                case '\\': sb.Append("\\\\"); break;
                case '\r': sb.Append("\\r"); break;
                case '\n': sb.Append("\\n"); break;
                case '\0': break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Parses the content of a tags section (between '@' and the space). Empty items are skipped;
    /// an empty value is returned as null (equivalent to a missing value).</summary>
    internal static KeyValuePair<string, string?>[] Parse(ReadOnlySpan<byte> section)
    {
        var n = section.Count((byte)';') + 1;
        var result = new KeyValuePair<string, string?>[n];
        var count = 0;
        foreach (var range in section.Split((byte)';'))
        {
            var item = section[range];
            var eq = item.IndexOf((byte)'=');
            var keyBytes = eq < 0 ? item : item[..eq];
            if (keyBytes.IsEmpty)
            {
                continue;
            }

            string? value = null;
            if (eq >= 0 && eq + 1 < item.Length)
            {
                value = Unescape(IrcParser.Decode(item[(eq + 1)..]));
                if (value.Length == 0)
                {
                    value = null;
                }
            }

            result[count++] = new(IrcParser.Decode(keyBytes), value);
        }

        return count == n ? result : result[..count];
    }
}
