using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ActorNet.Chat.Protocol;

/// <summary>
/// Parses one IRC line (RFC 1459/2812 grammar plus IRCv3 message-tags) into an <see cref="IrcMessage"/>.
/// Pure and allocation-light: only the resulting strings are allocated. Never throws on any input.
/// </summary>
/// <remarks>
/// <para>Grammar: <c>['@' tags SPACE] [':' source SPACE] command *( SPACE middle ) [ SPACE ':' trailing ]</c>.
/// Runs of spaces between tokens are tolerated; spaces at the end of a line are ignored unless inside a trailing.
/// After 14 middle parameters the 15th takes the rest of the line, with or without ':' (RFC 2812 §2.3.1).</para>
/// <para>Text decoding: bytes are decoded as UTF-8 <b>lossily</b>; each invalid sequence becomes U+FFFD. We chose
/// this over a Latin-1 fallback because it keeps one encoding end to end (what the modern IRC docs and IRCv3
/// recommend), lets nicks and channels compare reliably, and re-encodes to valid UTF-8 for every recipient.
/// Callers that want to reject invalid input can test <c>System.Text.Unicode.Utf8.IsValid(line)</c> first.</para>
/// </remarks>
public static class IrcParser
{
    /// <summary>Maximum bytes of the message proper (everything but tags), excluding CRLF.</summary>
    public const int MaxBodyBytes = 510;

    /// <summary>Maximum bytes of the tags section, counting the leading '@' and the trailing space.</summary>
    public const int MaxTagSectionBytes = 8191;

    /// <summary>Maximum bytes of the tags section a client may send, counting the leading '@' and the trailing space
    /// (IRCv3 message-tags: 4094 bytes of tag data from clients; the 8191 above is what servers may send).</summary>
    public const int MaxClientTagSectionBytes = 4096;

    /// <summary>Maximum number of parameters.</summary>
    public const int MaxParams = 15;

    private const byte Space = (byte)' ';

    /// <summary>Parses one line whose CR/LF have already been stripped.</summary>
    /// <param name="line">The raw bytes of the line.</param>
    /// <param name="msg">The message when the result is true.</param>
    /// <param name="error"><see cref="IrcParseError.None"/> on success, otherwise why the line was rejected.</param>
    /// <param name="maxTagSectionBytes">longest tags section accepted (<see cref="MaxClientTagSectionBytes"/> for client input)</param>
    public static bool TryParse(ReadOnlySpan<byte> line, [NotNullWhen(true)] out IrcMessage? msg, out IrcParseError error, int maxTagSectionBytes = MaxTagSectionBytes)
    {
        msg = null;
        if (IsBlank(line))
        {
            error = IrcParseError.Empty;
            return false;
        }

        var body = line;
        var tags = Array.Empty<KeyValuePair<string, string?>>();
        var start = line.IndexOfAnyExcept(Space);
        if (line[start] == (byte)'@')
        {
            var rest = line[start..];
            var sp = rest.IndexOf(Space);
            var sectionLength = sp < 0 ? rest.Length : sp + 1;
            if (sectionLength > maxTagSectionBytes)
            {
                error = IrcParseError.TagsTooLong;
                return false;
            }

            if (sp < 0)
            {
                error = IrcParseError.NoCommand;
                return false;
            }

            tags = IrcTags.Parse(rest[1..sp]);
            body = rest[(sp + 1)..];
        }

        if (body.Length > MaxBodyBytes)
        {
            error = IrcParseError.InputTooLong;
            return false;
        }

        return ParseBody(body, tags, out msg, out error);
    }

    /// <summary>Parses a line given as a string (encoded to UTF-8 first); convenient for tests and tools.</summary>
    public static bool TryParse(string line, [NotNullWhen(true)] out IrcMessage? msg, out IrcParseError error)
    {
        ArgumentNullException.ThrowIfNull(line);
        var bytes = Encoding.UTF8.GetBytes(line);
        return TryParse(bytes, out msg, out error);
    }

    /// <summary>Parses a line or throws <see cref="FormatException"/> naming the <see cref="IrcParseError"/>.</summary>
    public static IrcMessage Parse(string line) =>
        TryParse(line, out var msg, out var error) ? msg : throw new FormatException($"Invalid IRC line: {error}");

    private static bool ParseBody(
        ReadOnlySpan<byte> body, KeyValuePair<string, string?>[] tags, out IrcMessage? msg, out IrcParseError error)
    {
        msg = null;
        var pos = SkipSpaces(body, 0);
        string? source = null;
        if (pos < body.Length && body[pos] == (byte)':')
        {
            var end = TokenEnd(body, pos);
            if (end > pos + 1)
            {
                source = Decode(body[(pos + 1)..end]);
            }

            pos = SkipSpaces(body, end);
        }

        if (pos >= body.Length)
        {
            error = IrcParseError.NoCommand;
            return false;
        }

        var cmdEnd = TokenEnd(body, pos);
        var command = ReadCommand(body[pos..cmdEnd]);
        if (command is null)
        {
            error = IrcParseError.InvalidCommand;
            return false;
        }

        Span<Range> ranges = stackalloc Range[MaxParams];
        var count = 0;
        pos = SkipSpaces(body, cmdEnd);
        while (pos < body.Length)
        {
            if (body[pos] == (byte)':')
            {
                ranges[count++] = new Range(pos + 1, body.Length);
                break;
            }

            if (count == MaxParams - 1)
            {
                ranges[count++] = new Range(pos, body.Length);
                break;
            }

            var end = TokenEnd(body, pos);
            ranges[count++] = new Range(pos, end);
            pos = SkipSpaces(body, end);
        }

        var parameters = count == 0 ? [] : new string[count];
        for (var i = 0; i < count; i++)
        {
            parameters[i] = Decode(body[ranges[i]]);
        }

        msg = new IrcMessage(tags, source, command, parameters, trusted: true);
        error = IrcParseError.None;
        return true;
    }

    /// <summary>Letters only (uppercased) or exactly three digits; otherwise null.</summary>
    private static string? ReadCommand(ReadOnlySpan<byte> token)
    {
        if (token.Length == 3 && char.IsAsciiDigit((char)token[0]) && char.IsAsciiDigit((char)token[1])
            && char.IsAsciiDigit((char)token[2]))
        {
            return Encoding.ASCII.GetString(token);
        }

        foreach (var b in token)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                return null;
            }
        }

        return string.Create(token.Length, token, static (span, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                span[i] = char.ToUpperInvariant((char)src[i]);
            }
        });
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static int SkipSpaces(ReadOnlySpan<byte> s, int pos)
    {
        while (pos < s.Length && s[pos] == Space)
        {
            pos++;
        }

        return pos;
    }

    private static int TokenEnd(ReadOnlySpan<byte> s, int pos)
    {
        var sp = s[pos..].IndexOf(Space);
        return sp < 0 ? s.Length : pos + sp;
    }

    // Lossy: Encoding.UTF8 replaces invalid sequences with U+FFFD and never throws.
    internal static string Decode(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
}
