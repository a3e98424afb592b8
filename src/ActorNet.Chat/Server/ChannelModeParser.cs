namespace ActorNet.Chat.Server;

/// <summary>One requested mode change: +o nick, -k, +l 10, +b mask, +i ...</summary>
public sealed record ModeChange(bool Add, char Mode, string? Arg);

/// <summary>The parsed form of <c>MODE #chan modestring args...</c>.</summary>
/// <param name="Changes">changes in order, each with its argument when the mode takes one</param>
/// <param name="Unknown">mode letters this server does not know (472)</param>
/// <param name="MissingArg">modes that needed an argument and had none (696)</param>
/// <param name="ListBans">a bare "b" / "+b": list the ban masks (367/368)</param>
public sealed record ParsedModes(IReadOnlyList<ModeChange> Changes, IReadOnlyList<char> Unknown, IReadOnlyList<char> MissingArg, bool ListBans)
{
    /// <summary>The list modes asked for without a mask (b: 367/368, e: 348/349, I: 346/347), each once, in order.</summary>
    public IReadOnlyList<char> Lists { get; init; } = ListBans ? ['b'] : [];
}

/// <summary>Parses channel mode strings (CHANMODES=beI,k,l,Cimnpst; PREFIX=(ov)@+). Pure.</summary>
public static class ChannelModeParser
{
    /// <summary>Parses <paramref name="args"/> (mode string then its arguments); at most <paramref name="maxParamModes"/> argument-taking modes.</summary>
    public static ParsedModes Parse(IReadOnlyList<string> args, int maxParamModes = 4)
    {
        var changes = new List<ModeChange>();
        var unknown = new List<char>();
        var missing = new List<char>();
        var lists = new List<char>();
        var next = 1;
        var add = true;
        var paramModes = 0;
        string? TakeArg() => next < args.Count ? args[next++] : null;

        foreach (var c in args.Count > 0 ? args[0] : "")
        {
            switch (c)
            {
                case '+':
                    add = true;
                    break;
                case '-':
                    add = false;
                    break;
                case 'C' or 'i' or 'm' or 'n' or 'p' or 's' or 't':
                    changes.Add(new ModeChange(add, c, null));
                    break;
                case 'o' or 'v' or 'b' or 'e' or 'I' or 'k' or 'l':
                    var needsArg = c is 'o' or 'v' or 'b' or 'e' or 'I' || (add && c is 'k' or 'l') || (!add && c == 'k');
                    if (!needsArg)
                    {
                        changes.Add(new ModeChange(add, c, null));
                        break;
                    }

                    if (paramModes >= maxParamModes) break;
                    var arg = TakeArg();
                    if (arg is null or "")
                    {
                        if (c is 'b' or 'e' or 'I')
                        {
                            if (!lists.Contains(c)) lists.Add(c);
                        }
                        else if (c == 'k' && !add) changes.Add(new ModeChange(false, 'k', null));
                        else missing.Add(c);
                        break;
                    }

                    paramModes++;
                    changes.Add(new ModeChange(add, c, arg));
                    break;
                default:
                    if (!unknown.Contains(c)) unknown.Add(c);
                    break;
            }
        }

        return new ParsedModes(changes, unknown, missing, lists.Contains('b')) { Lists = lists };
    }

    /// <summary>Formats applied changes as one MODE argument list: "+ov-k", "alice", "bob".</summary>
    public static IReadOnlyList<string> Format(IReadOnlyList<ModeChange> applied)
    {
        var letters = new System.Text.StringBuilder();
        var args = new List<string>();
        char? sign = null;
        foreach (var change in applied)
        {
            var s = change.Add ? '+' : '-';
            if (sign != s) letters.Append(s);
            sign = s;
            letters.Append(change.Mode);
            if (change.Arg is not null) args.Add(change.Arg);
        }

        return [letters.ToString(), .. args];
    }

    /// <summary>Whether <paramref name="text"/> matches an IRC mask with '*' and '?' wildcards (already case-folded).</summary>
    public static bool WildcardMatch(string mask, string text)
    {
        int m = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (m < mask.Length && (mask[m] == '?' || mask[m] == text[t]))
            {
                m++;
                t++;
            }
            else if (m < mask.Length && mask[m] == '*')
            {
                star = m++;
                mark = t;
            }
            else if (star >= 0)
            {
                m = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (m < mask.Length && mask[m] == '*') m++;
        return m == mask.Length;
    }
}
