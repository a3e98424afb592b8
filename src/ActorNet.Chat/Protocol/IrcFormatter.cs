using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace ActorNet.Chat.Protocol;

/// <summary>
/// Writes an <see cref="IrcMessage"/> as UTF-8 wire bytes ending in CRLF. Never throws for any message content and
/// never produces a line the parser would read differently in structure.
/// </summary>
/// <remarks>
/// <para>Limits: the part after the tags is cut to 510 bytes + CRLF (512); the cut never splits a UTF-8 sequence,
/// and a cut last parameter is always written as a ':' trailing. Tags are dropped whole (from the first that does
/// not fit) so the tags section stays within 8191 bytes; tags with invalid keys are skipped.</para>
/// <para>Sanitizing: CR, LF and NUL cannot appear on the wire and are removed everywhere. Source and command lose
/// spaces. A middle (non-last) parameter cannot be empty, contain a space or start with ':', so such values are
/// altered: empty becomes "*", spaces become '_' and a leading ':' becomes '_'. Callers should validate user input
/// (nicks, channels, keys) beforehand; this is a last line of defence, not a feature. More than 15 parameters are
/// written as given, but a parser folds everything from the 15th on into one parameter.</para>
/// </remarks>
public static class IrcFormatter
{
    /// <summary>The longest line <see cref="Format"/> can produce: full tags section + 510 + CRLF.</summary>
    public const int MaxLineBytes = IrcParser.MaxTagSectionBytes + IrcParser.MaxBodyBytes + 2;

    private static readonly SearchValues<char> Forbidden = SearchValues.Create("\r\n\0");
    private static readonly SearchValues<char> ForbiddenInToken = SearchValues.Create("\r\n\0 ");

    /// <summary>Writes the message into <paramref name="destination"/> and returns the byte count (CRLF included).</summary>
    /// <exception cref="ArgumentException">The destination is too small (<see cref="MaxLineBytes"/> always suffices).</exception>
    public static int Format(IrcMessage message, Span<byte> destination) =>
        TryFormat(message, destination, out var written)
            ? written
            : throw new ArgumentException("Destination too small for the formatted IRC line.", nameof(destination));

    /// <summary>Writes the message into <paramref name="destination"/>; false when it does not fit.</summary>
    public static bool TryFormat(IrcMessage message, Span<byte> destination, out int written)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (destination.Length >= MaxLineBytes)
        {
            written = FormatCore(message, destination);
            return true;
        }

        var rented = ArrayPool<byte>.Shared.Rent(MaxLineBytes);
        try
        {
            var n = FormatCore(message, rented);
            if (n > destination.Length)
            {
                written = 0;
                return false;
            }

            rented.AsSpan(0, n).CopyTo(destination);
            written = n;
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The wire bytes of the message, CRLF included.</summary>
    public static byte[] ToBytes(IrcMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rented = ArrayPool<byte>.Shared.Rent(MaxLineBytes);
        try
        {
            return rented.AsSpan(0, FormatCore(message, rented)).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The wire form as a string, without CRLF unless <paramref name="includeCrlf"/>.</summary>
    public static string ToLine(IrcMessage message, bool includeCrlf = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rented = ArrayPool<byte>.Shared.Rent(MaxLineBytes);
        try
        {
            var n = FormatCore(message, rented);
            return Encoding.UTF8.GetString(rented, 0, includeCrlf ? n : n - 2);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Formats into <paramref name="buf"/>, which holds at least <see cref="MaxLineBytes"/> bytes.</summary>
    private static int FormatCore(IrcMessage m, Span<byte> buf)
    {
        var pos = m.Tags.Count > 0 ? WriteTags(m.Tags, buf) : 0;
        var w = new Writer(buf, pos, pos + IrcParser.MaxBodyBytes);
        if (!string.IsNullOrEmpty(m.Source))
        {
            w.Byte((byte)':');
            w.Text(Clean(m.Source, ForbiddenInToken));
            w.Byte((byte)' ');
        }

        w.Text(Clean(m.Command, ForbiddenInToken));
        var p = m.Params;
        for (var i = 0; i < p.Count - 1 && !w.Full; i++)
        {
            w.Byte((byte)' ');
            w.Text(Middle(p[i]));
        }

        if (p.Count > 0 && !w.Full)
        {
            WriteLast(ref w, Clean(p[^1], Forbidden));
        }

        buf[w.Pos] = (byte)'\r';
        buf[w.Pos + 1] = (byte)'\n';
        return w.Pos + 2;
    }

    private static void WriteLast(ref Writer w, string last)
    {
        var colon = last.Length == 0 || last[0] == ':' || last.Contains(' ');
        var needed = 1 + (colon ? 1 : 0) + Encoding.UTF8.GetByteCount(last);
        if (w.Pos + needed > w.Limit)
        {
            if (w.Limit - w.Pos < 2)
            {
                return; // no room for " :"; drop the parameter rather than write a dangling space
            }

            colon = true; // truncated: always trailing form, so a cut value can never be misread
        }

        w.Byte((byte)' ');
        if (colon)
        {
            w.Byte((byte)':');
        }

        w.Text(last);
    }

    private static int WriteTags(IReadOnlyList<KeyValuePair<string, string?>> tags, Span<byte> buf)
    {
        // '@' + content must leave room for the trailing space inside MaxTagSectionBytes.
        var w = new Writer(buf, 0, IrcParser.MaxTagSectionBytes - 1);
        w.Byte((byte)'@');
        var any = false;
        foreach (var (key, value) in tags)
        {
            if (!IrcTags.IsValidKey(key))
            {
                continue;
            }

            var mark = w.Pos;
            if (any)
            {
                w.Byte((byte)';');
            }

            w.Text(key);
            if (!string.IsNullOrEmpty(value))
            {
                w.Byte((byte)'=');
                w.Text(IrcTags.Escape(value));
            }

            if (w.Full)
            {
                w.Pos = mark; // drop this tag and every later one
                break;
            }

            any = true;
        }

        if (!any)
        {
            return 0;
        }

        buf[w.Pos] = (byte)' ';
        return w.Pos + 1;
    }

    private static string Middle(string value)
    {
        var s = Clean(value, Forbidden);
        if (s.Length == 0)
        {
            return "*";
        }

        if (s[0] != ':' && !s.Contains(' '))
        {
            return s;
        }

        var chars = s.Replace(' ', '_').ToCharArray();
        if (chars[0] == ':')
        {
            chars[0] = '_';
        }

        return new string(chars);
    }

    private static string Clean(string s, SearchValues<char> forbidden)
    {
        if (s.AsSpan().IndexOfAny(forbidden) < 0)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (!forbidden.Contains(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Appends bytes up to a hard limit; once something does not fit it is <see cref="Full"/>.</summary>
    private ref struct Writer(Span<byte> buf, int pos, int limit)
    {
        private readonly Span<byte> _buf = buf;
        public int Pos = pos;
        public readonly int Limit = limit;
        public bool Full;

        public void Byte(byte b)
        {
            if (Full || Pos >= Limit)
            {
                Full = true;
                return;
            }

            _buf[Pos++] = b;
        }

        /// <summary>Encodes whole scalars only, so a cut never splits a UTF-8 sequence; lone surrogates become U+FFFD.</summary>
        public void Text(ReadOnlySpan<char> s)
        {
            if (Full)
            {
                return;
            }

            var status = Utf8.FromUtf16(s, _buf[Pos..Limit], out _, out var written, replaceInvalidSequences: true);
            Pos += written;
            Full = status != System.Buffers.OperationStatus.Done;
        }
    }
}
