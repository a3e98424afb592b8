namespace ActorNet.Chat.Protocol;

/// <summary>
/// One IRC message: optional IRCv3 tags, optional source (prefix), a command and up to 15 parameters.
/// Immutable; equality compares tags, source, command and parameters element by element.
/// </summary>
/// <remarks>
/// Commands are stored uppercased (ASCII only); numerics are 3-digit strings such as "001".
/// A tag whose value is missing or empty (<c>@foo</c> / <c>@foo=</c>) has a <see langword="null"/> value,
/// as the message-tags spec makes the two forms equivalent.
/// </remarks>
public sealed record IrcMessage
{
    private static readonly KeyValuePair<string, string?>[] NoTags = [];

    /// <summary>Creates a message; <paramref name="parameters"/> are copied.</summary>
    /// <param name="source">The prefix without the leading ':' (server name or nick!user@host), or null.</param>
    /// <param name="command">A command word (uppercased here) or a 3-digit numeric; must not be empty.</param>
    /// <param name="parameters">Parameters in order; the last may contain spaces (it is sent as trailing).</param>
    public IrcMessage(string? source, string command, IReadOnlyList<string> parameters)
        : this(NoTags, source, command, CopyParams(parameters), trusted: false)
    {
    }

    /// <summary>Creates a message with tags; <paramref name="tags"/> and <paramref name="parameters"/> are copied.</summary>
    public IrcMessage(
        IReadOnlyList<KeyValuePair<string, string?>> tags, string? source, string command, IReadOnlyList<string> parameters)
        : this(CopyTags(tags), source, command, CopyParams(parameters), trusted: false)
    {
    }

    // trusted: the parser (command already checked) handing over freshly built arrays, so no copy and no check.
    internal IrcMessage(
        KeyValuePair<string, string?>[] tags, string? source, string command, string[] parameters, bool trusted)
    {
        if (!trusted && !IsValidCommand(command))
        {
            throw new ArgumentException("A command is letters only or a 3-digit numeric.", nameof(command));
        }

        _tags = tags;
        Source = source;
        Command = UpperAscii(command);
        _params = parameters;
    }

    private readonly KeyValuePair<string, string?>[] _tags;
    private readonly string[] _params;

    /// <summary>IRCv3 tags in wire order (empty when none). Use <see cref="GetTag"/> for lookup.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Tags => _tags;

    /// <summary>The source (prefix) without the leading ':', or null when absent.</summary>
    public string? Source { get; }

    /// <summary>The command, uppercased, or a 3-digit numeric.</summary>
    public string Command { get; }

    /// <summary>The parameters; the trailing parameter (if any) is the last element, without its ':'.</summary>
    public IReadOnlyList<string> Params => _params;

    /// <summary>Number of parameters.</summary>
    public int ParamCount => Params.Count;

    /// <summary>Builds a message without source or tags.</summary>
    public static IrcMessage Create(string command, params string[] parameters) => new(null, command, parameters);

    /// <summary>Builds a message with a source and no tags.</summary>
    public static IrcMessage FromSource(string? source, string command, params string[] parameters) =>
        new(source, command, parameters);

    /// <summary>The parameter at <paramref name="index"/>, or null when there are not that many.</summary>
    public string? Param(int index) => index >= 0 && index < Params.Count ? Params[index] : null;

    /// <summary>The value of the last tag named <paramref name="key"/> (the spec says the last one wins).</summary>
    /// <returns>True when the tag is present; <paramref name="value"/> is null for a tag without value.</returns>
    public bool TryGetTag(string key, out string? value)
    {
        for (var i = Tags.Count - 1; i >= 0; i--)
        {
            if (string.Equals(Tags[i].Key, key, StringComparison.Ordinal))
            {
                value = Tags[i].Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>The tag value, or null when absent or valueless.</summary>
    public string? GetTag(string key) => TryGetTag(key, out var v) ? v : null;

    /// <summary>A copy with one more tag appended (replacing earlier tags with the same key).</summary>
    public IrcMessage WithTag(string key, string? value)
    {
        var list = new List<KeyValuePair<string, string?>>(Tags.Count + 1);
        foreach (var t in Tags)
        {
            if (!string.Equals(t.Key, key, StringComparison.Ordinal))
            {
                list.Add(t);
            }
        }

        list.Add(new(key, value));
        return new IrcMessage(list.ToArray(), Source, Command, _params, trusted: true);
    }

    /// <summary>A copy with another source.</summary>
    public IrcMessage WithSource(string? source) => new(_tags, source, Command, _params, trusted: true);

    /// <summary>Element-wise value equality.</summary>
    public bool Equals(IrcMessage? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || Command != other.Command || Source != other.Source
            || Params.Count != other.Params.Count || Tags.Count != other.Tags.Count)
        {
            return false;
        }

        for (var i = 0; i < Params.Count; i++)
        {
            if (!string.Equals(Params[i], other.Params[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        for (var i = 0; i < Tags.Count; i++)
        {
            if (Tags[i].Key != other.Tags[i].Key || Tags[i].Value != other.Tags[i].Value)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Command);
        h.Add(Source);
        foreach (var p in Params)
        {
            h.Add(p);
        }

        return h.ToHashCode();
    }

    /// <summary>The wire form without CRLF (as <see cref="IrcFormatter.ToLine"/>).</summary>
    public override string ToString() => IrcFormatter.ToLine(this);

    /// <summary>Whether <paramref name="command"/> is letters only or exactly three digits.</summary>
    public static bool IsValidCommand(string? command)
    {
        if (string.IsNullOrEmpty(command))
        {
            return false;
        }

        if (command.Length == 3 && char.IsAsciiDigit(command[0]) && char.IsAsciiDigit(command[1])
            && char.IsAsciiDigit(command[2]))
        {
            return true;
        }

        foreach (var c in command)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string[] CopyParams(IReadOnlyList<string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            return [];
        }

        var copy = new string[parameters.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = parameters[i] ?? throw new ArgumentException("A parameter is null.", nameof(parameters));
        }

        return copy;
    }

    private static KeyValuePair<string, string?>[] CopyTags(IReadOnlyList<KeyValuePair<string, string?>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count == 0)
        {
            return NoTags;
        }

        var copy = new KeyValuePair<string, string?>[tags.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = tags[i].Key is null ? throw new ArgumentException("A tag key is null.", nameof(tags)) : tags[i];
        }

        return copy;
    }

    private static string UpperAscii(string s)
    {
        foreach (var c in s)
        {
            if (c is >= 'a' and <= 'z')
            {
                return string.Create(s.Length, s, static (span, src) =>
                {
                    for (var i = 0; i < src.Length; i++)
                    {
                        var ch = src[i];
                        span[i] = ch is >= 'a' and <= 'z' ? (char)(ch - 32) : ch;
                    }
                });
            }
        }

        return s;
    }
}

/// <summary>Why <see cref="IrcParser.TryParse(ReadOnlySpan{byte}, out IrcMessage?, out IrcParseError)"/> rejected a line.</summary>
public enum IrcParseError
{
    /// <summary>The line parsed.</summary>
    None,

    /// <summary>The line is empty or whitespace only; servers silently ignore it.</summary>
    Empty,

    /// <summary>The part after the tags is over 510 bytes (512 with CRLF); reply ERR_INPUTTOOLONG (417).</summary>
    InputTooLong,

    /// <summary>The tags section ('@' through its trailing space) is over 8191 bytes.</summary>
    TagsTooLong,

    /// <summary>Tags and/or a prefix but no command.</summary>
    NoCommand,

    /// <summary>The command is neither letters only nor a 3-digit numeric.</summary>
    InvalidCommand,
}
