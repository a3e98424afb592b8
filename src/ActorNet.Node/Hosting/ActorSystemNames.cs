using System.Text;

namespace ActorNet.Node.Hosting;

/// <summary>Turns a node name into a valid ActorSystem name (<c>[a-zA-Z0-9][a-zA-Z0-9_-]*</c>).</summary>
public static class ActorSystemNames
{
    /// <summary>Used when nothing usable is left of the node name.</summary>
    public const string Fallback = "actornet";

    /// <summary>Replaces every invalid character with '-', and drops leading characters that cannot start a name and trailing dashes.</summary>
    public static string Sanitize(string? nodeName)
    {
        if (string.IsNullOrWhiteSpace(nodeName))
            return Fallback;

        var sb = new StringBuilder(nodeName.Length);
        foreach (var c in nodeName.Trim())
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
            if (sb.Length == 0 && !char.IsAsciiLetterOrDigit(c))
                continue;
            sb.Append(valid ? c : '-');
        }
        var name = sb.ToString().TrimEnd('-');
        return name.Length == 0 ? Fallback : name;
    }
}
