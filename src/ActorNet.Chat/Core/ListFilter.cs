using System.Globalization;
using ActorNet.Chat.Protocol;

namespace ActorNet.Chat.Core;

/// <summary>
/// LIST with the ELIST extensions this server supports (ISUPPORT <c>ELIST=MNU</c>, Modern IRC): <c>M</c> masks
/// (<c>LIST #ch*</c>), <c>N</c> negated masks (<c>LIST !*an1</c>), <c>U</c> user counts (<c>LIST &gt;3</c>: more
/// than 3 users, <c>LIST &lt;10</c>: fewer than 10). Terms are comma-separated; a channel is listed when it matches
/// every mask and count term and none of the negated masks. Plain names (no wildcard) list exactly those channels.
/// </summary>
public sealed record ListFilter(IReadOnlyList<string> Masks, IReadOnlyList<string> NotMasks, int? MoreThan, int? FewerThan)
{
    /// <summary>The ELIST token value.</summary>
    public const string Supported = "MNU";

    /// <summary>Splits LIST's parameter into exact channel names (null: none given) and a filter (null: none).</summary>
    public static (IReadOnlyList<string>? Names, ListFilter? Filter) Parse(string? parameter)
    {
        if (string.IsNullOrEmpty(parameter)) return (null, null);
        var names = new List<string>();
        var masks = new List<string>();
        var notMasks = new List<string>();
        int? more = null, fewer = null;
        foreach (var term in parameter.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (term[0] is '>' or '<' && int.TryParse(term.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                if (term[0] == '>') more = Math.Max(more ?? n, n);
                else fewer = Math.Min(fewer ?? n, n);
            }
            else if (term[0] == '!' && term.Length > 1) notMasks.Add(term[1..]);
            else if (term.AsSpan().IndexOfAny('*', '?') >= 0) masks.Add(term);
            else names.Add(term);
        }

        var filter = masks.Count + notMasks.Count > 0 || more is not null || fewer is not null ? new ListFilter(masks, notMasks, more, fewer) : null;
        return (names.Count > 0 ? names : null, filter);
    }

    /// <summary>Whether a channel (its name under the casemapping, its member count) passes the filter.</summary>
    public bool Matches(string name, int members, CaseMapping casemap)
    {
        if (MoreThan is { } more && members <= more) return false;
        if (FewerThan is { } fewer && members >= fewer) return false;
        var folded = casemap.Fold(name);
        bool Match(string mask) => Server.ChannelModeParser.WildcardMatch(casemap.Fold(mask), folded);
        return Masks.All(Match) && !NotMasks.Any(Match);
    }
}
