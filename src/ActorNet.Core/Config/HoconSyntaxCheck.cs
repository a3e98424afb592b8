namespace ActorNet.Config;

/// <summary>
/// Akka's HOCON parser accepts some broken files silently (an unclosed <c>{</c>, a stray <c>}</c>, an unterminated
/// string). This pure pre-check finds those before parsing, with the line number, so a typo fails fast instead of
/// half-loading. It understands quoted strings, triple-quoted strings and # and // comments.
/// </summary>
public static class HoconSyntaxCheck
{
    /// <summary>Null when the braces, brackets and quotes balance; otherwise what is wrong and where.</summary>
    public static string? Check(string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
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
                {
                    var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                    if (end < 0) return $"line {line}: unterminated triple-quoted string";
                    line += text.AsSpan(i, end - i).Count('\n');
                    i = end + 2;
                    break;
                }
                case '"':
                {
                    var start = line;
                    for (i++; i < text.Length && text[i] != '"'; i++)
                    {
                        if (text[i] == '\\') i++;
                        else if (text[i] == '\n') return $"line {start}: unterminated string";
                    }

                    if (i >= text.Length) return $"line {start}: unterminated string";
                    break;
                }
                case '{' or '[':
                    open.Push((c, line));
                    break;
                case '}' or ']':
                    var expected = c == '}' ? '{' : '[';
                    if (open.Count == 0) return $"line {line}: '{c}' closes nothing";
                    var (bracket, at) = open.Pop();
                    if (bracket != expected) return $"line {line}: '{c}' closes the '{bracket}' opened on line {at}";
                    break;
            }
        }

        return open.Count > 0 ? $"line {open.Peek().Line}: '{open.Peek().Bracket}' is never closed" : null;
    }
}
