using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorNet.Config;

/// <summary>
/// Parses HOCON text with Akka's parser, turning every failure into a message instead of an exception.
/// Akka's HOCON parser is lenient (an unclosed brace or string is silently accepted) and a few inputs make it
/// loop or recurse forever (a ':' inside a list such as <c>[::1]:7000</c>, optional substitutions <c>${?x}</c>),
/// so a small lexical check runs first and a walk afterwards reports keys that were left without a value.
/// </summary>
internal static class HoconText
{
    private const int MaxDepth = 64;

    /// <summary>Parses <paramref name="text"/>; on failure returns null and a reason (with line number where known).</summary>
    public static Akka.Configuration.Config? TryParse(string text, out string? error)
    {
        error = CheckSyntax(text);
        if (error is not null) return null;
        Akka.Configuration.Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text);
        }
        catch (Exception e)
        {
            error = FirstLine(e.Message);
            return null;
        }
        error = FindMissingValue(config);
        return error is null ? config : null;
    }

    /// <summary>A lexical pass: balanced braces/brackets, terminated strings, no ':'/'=' directly inside a list, no ${?..}.</summary>
    internal static string? CheckSyntax(string text)
    {
        var open = new Stack<(char Ch, int Line)>();
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\n':
                    line++;
                    break;
                case '#':
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                    break;
                case '"' when string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0:
                    var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                    if (end < 0) return $"line {line}: unterminated triple-quoted string";
                    line += text.AsSpan(i, end - i).Count('\n');
                    i = end + 2;
                    break;
                case '"':
                    i++;
                    while (i < text.Length && text[i] != '"' && text[i] != '\n')
                        i += text[i] == '\\' ? 2 : 1;
                    if (i >= text.Length || text[i] != '"') return $"line {line}: unterminated string";
                    break;
                case '$' when i + 2 < text.Length && text[i + 1] == '{' && text[i + 2] == '?':
                    return $"line {line}: optional substitutions ${{?...}} are not supported";
                case '{' or '[':
                    open.Push((c, line));
                    break;
                case '}' or ']':
                    var expected = c == '}' ? '{' : '[';
                    if (open.Count == 0 || open.Peek().Ch != expected) return $"line {line}: unexpected '{c}'";
                    open.Pop();
                    break;
                case ':' or '=' when open.Count > 0 && open.Peek().Ch == '[':
                    return $"line {line}: '{c}' inside a list; quote the value (e.g. \"[::1]:7000\")";
            }
        }
        if (open.Count > 0)
        {
            var (ch, at) = open.Peek();
            return $"line {at}: '{ch}' is never closed";
        }
        return null;
    }

    private static string? FindMissingValue(Akka.Configuration.Config config)
    {
        if (config.IsEmpty) return null;
        return Walk(config.Root, "", 0);
    }

    private static string? Walk(HoconValue value, string path, int depth)
    {
        if (depth > MaxDepth) return $"'{path}' is nested too deeply";
        if (!value.IsObject()) return null;
        foreach (var (key, child) in value.GetObject().Items)
        {
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (child.Values.Count == 0) return $"'{childPath}' has no value";
            var error = Walk(child, childPath, depth + 1);
            if (error is not null) return error;
        }
        return null;
    }

    private static string FirstLine(string message)
    {
        var trimmed = message.Trim();
        var nl = trimmed.IndexOf('\n');
        return nl < 0 ? trimmed : trimmed[..nl].TrimEnd();
    }
}
