namespace ActorNet.Chat.Protocol;

/// <summary>
/// An IRC case mapping (the CASEMAPPING ISUPPORT token): how nicks and channel names compare case-insensitively.
/// Each instance is an immutable <see cref="IEqualityComparer{T}"/> that folds character by character without
/// allocating; <see cref="Fold(string)"/> allocates only when the input is not already folded.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>ascii</c>: A-Z fold to a-z.</item>
/// <item><c>rfc1459</c>: as ascii, plus <c>[]\~</c> fold to <c>{}|^</c> (RFC 1459 §2.2: "{}|^" are the lower case
/// of "[]\~", because of IRC's Scandinavian origin).</item>
/// <item><c>strict-rfc1459</c>: as rfc1459 without the <c>~</c>/<c>^</c> pair.</item>
/// </list>
/// Folding is toward lower case. Non-ASCII characters are compared ordinally.
/// </remarks>
public sealed class CaseMapping : IEqualityComparer<string>
{
    private readonly int _kind;

    private CaseMapping(string name, int kind)
    {
        Name = name;
        _kind = kind;
    }

    /// <summary>The <c>ascii</c> mapping.</summary>
    public static CaseMapping Ascii { get; } = new("ascii", 0);

    /// <summary>The <c>rfc1459</c> mapping (the traditional default).</summary>
    public static CaseMapping Rfc1459 { get; } = new("rfc1459", 1);

    /// <summary>The <c>strict-rfc1459</c> mapping.</summary>
    public static CaseMapping StrictRfc1459 { get; } = new("strict-rfc1459", 2);

    /// <summary>The token value, as advertised in <c>CASEMAPPING=</c>.</summary>
    public string Name { get; }

    /// <summary>Finds a mapping by its token name (case-insensitive).</summary>
    public static bool TryParse(string? name, out CaseMapping mapping)
    {
        mapping = name?.ToLowerInvariant() switch
        {
            "ascii" => Ascii,
            "rfc1459" => Rfc1459,
            "strict-rfc1459" => StrictRfc1459,
            _ => null!,
        };
        return mapping is not null;
    }

    /// <summary>Folds one character.</summary>
    public char Fold(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c + 32),
        '[' or ']' or '\\' when _kind != 0 => (char)(c + 32),
        '~' when _kind == 1 => '^',
        _ => c,
    };

    /// <summary>The folded (lower-case) form; returns <paramref name="value"/> itself when nothing changes.</summary>
    public string Fold(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            if (Fold(value[i]) != value[i])
            {
                return string.Create(value.Length, (value, this), static (span, state) =>
                {
                    for (var j = 0; j < span.Length; j++)
                    {
                        span[j] = state.Item2.Fold(state.value[j]);
                    }
                });
            }
        }

        return value;
    }

    /// <summary>Case-insensitive equality under this mapping.</summary>
    public bool Equals(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Length != y.Length)
        {
            return false;
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] != y[i] && Fold(x[i]) != Fold(y[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A hash consistent with <see cref="Equals(string?, string?)"/>.</summary>
    public int GetHashCode(string obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var h = new HashCode();
        foreach (var c in obj)
        {
            h.Add(Fold(c));
        }

        return h.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
