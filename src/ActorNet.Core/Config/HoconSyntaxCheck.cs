using Akka.Configuration.Hocon;

namespace ActorNet.Config;

/// <summary>
/// Akka's HOCON parser accepts some broken files silently (an unclosed <c>{</c>, a stray <c>}</c>, an unterminated
/// string) and a few inputs make it loop or recurse forever (most punctuation unquoted inside a list, such as
/// <c>[::1]:7000</c>; optional substitutions <c>${?x}</c>; a substitution that refers to itself). This pure pre-check
/// finds the lexical cases before parsing, with the line number, and <see cref="CheckTree"/> walks the parsed tree for
/// the rest, so a typo fails fast with a reason instead of hanging or half-loading the node.
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
                case '$' when i + 2 < text.Length && text[i + 1] == '{' && text[i + 2] == '?':
                    return $"line {line}: optional substitutions ${{?...}} are not supported";
                case '$' when i + 1 < text.Length && text[i + 1] == '{':
                    break; // a substitution, fine inside a list too
                case '{' or '[':
                    open.Push((c, line));
                    break;
                case '}' or ']':
                    var expected = c == '}' ? '{' : '[';
                    if (open.Count == 0) return $"line {line}: '{c}' closes nothing";
                    var (bracket, at) = open.Pop();
                    if (bracket != expected) return $"line {line}: '{c}' closes the '{bracket}' opened on line {at}";
                    break;
                case var _ when open.Count > 0 && open.Peek().Bracket == '[' && !IsSafeInList(c):
                    return $"line {line}: unquoted '{c}' inside a list; quote the value (e.g. [\"127.0.0.1:4053\"])";
            }
        }

        return open.Count > 0 ? $"line {open.Peek().Line}: '{open.Peek().Bracket}' is never closed" : null;
    }

    /// <summary>Characters Akka's parser handles unquoted directly inside a list; others (':', '=', '?', '!' …) can make it loop.</summary>
    private static bool IsSafeInList(char c) => char.IsLetterOrDigit(c) || char.IsWhiteSpace(c) || c is '.' or '-' or '+' or '_' or ',';

    private const int MaxDepth = 64;

    /// <summary>
    /// Walks a parsed tree (following resolved substitutions) without Akka's IsObject/GetObject, which recurse forever
    /// on a cyclic substitution such as <c>a = ${a}</c>. Null when sound, else the first key without a value or in a cycle.
    /// </summary>
    public static string? CheckTree(Akka.Configuration.Config config)
    {
        for (var c = config; c is not null; c = c.Fallback)
            if (c.Root is { } root && new TreeWalk().Check(root, "", 0) is { } error) return error;
        return null;
    }

    private sealed class TreeWalk
    {
        private readonly HashSet<HoconValue> _onPath = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<HoconValue> _checked = new(ReferenceEqualityComparer.Instance);

        public string? Check(HoconValue value, string path, int depth)
        {
            if (_checked.Contains(value)) return null;
            if (depth > MaxDepth) return $"'{path}' is nested too deeply";
            if (!_onPath.Add(value)) return $"'{path}' refers to itself through a substitution";
            string? error = null;
            foreach (var element in value.Values)
            {
                error = element switch
                {
                    HoconSubstitution { ResolvedValue: { } resolved } => Check(resolved, path, depth + 1),
                    HoconSubstitution sub => $"'{path}': unresolved substitution ${{{sub.Path}}}",
                    HoconObject obj => CheckObject(obj, path, depth),
                    HoconArray array => array.Select(item => Check(item, path, depth + 1)).FirstOrDefault(e => e is not null),
                    _ => null,
                };
                if (error is not null) break;
            }

            _onPath.Remove(value);
            if (error is null) _checked.Add(value);
            return error;
        }

        private string? CheckObject(HoconObject obj, string path, int depth)
        {
            foreach (var (key, child) in obj.Items)
            {
                var childPath = path.Length == 0 ? key : $"{path}.{key}";
                if (child.Values.Count == 0) return $"'{childPath}' has no value";
                if (Check(child, childPath, depth + 1) is { } error) return error;
            }

            return null;
        }
    }
}
