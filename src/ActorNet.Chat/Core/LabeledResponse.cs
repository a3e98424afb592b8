using ActorNet.Chat.Protocol;

namespace ActorNet.Chat.Core;

/// <summary>
/// IRCv3 labeled-response (https://ircv3.net/specs/extensions/labeled-response) with batch
/// (https://ircv3.net/specs/extensions/batch): what the server sends back for one labeled command. No response: a
/// labeled <c>ACK</c>; one line: that line with the label; more: a <c>labeled-response</c> batch whose start carries the
/// label and whose lines carry the batch id. The session collects the lines a labeled command produced (from itself
/// and from the chat service, which send them to the session instead of the connection while it collects) and sends
/// what this returns.
/// </summary>
public static class LabeledResponse
{
    public const string Cap = "labeled-response";
    public const string BatchCap = "batch";
    public const string LabelKey = "label";
    public const string BatchKey = "batch";

    /// <summary>Longest label accepted (the spec: clients SHOULD keep labels to 64 bytes); longer ones are not echoed.</summary>
    public const int MaxLabelBytes = 64;

    /// <summary>The label of a client's command when it negotiated labeled-response, else null.</summary>
    public static string? LabelOf(SessionState state, IrcMessage message) =>
        state.Has(Cap) && message.GetTag(LabelKey) is { Length: > 0 } label && System.Text.Encoding.UTF8.GetByteCount(label) <= MaxLabelBytes
            ? label
            : null;

    /// <summary>The label of a line the parser refused (e.g. a command word that is not one): read from its tag
    /// section alone, so that the error it gets is labeled too.</summary>
    public static string? LabelOfRaw(SessionState state, ReadOnlySpan<byte> line)
    {
        if (!state.Has(Cap) || line.Length < 2 || line[0] != (byte)'@') return null;
        var end = line.IndexOf((byte)' ');
        var section = System.Text.Encoding.UTF8.GetString(end < 0 ? line[1..] : line[1..end]);
        foreach (var tag in section.Split(';'))
            if (tag.StartsWith(LabelKey + "=", StringComparison.Ordinal) && IrcTags.Unescape(tag[(LabelKey.Length + 1)..]) is { Length: > 0 } label
                && System.Text.Encoding.UTF8.GetByteCount(label) <= MaxLabelBytes)
                return label;
        return null;
    }

    /// <summary>The lines to send for a labeled command's <paramref name="lines"/>. Without the batch capability more
    /// than one line cannot be grouped: they go unlabeled (the spec requires batch for that case).</summary>
    public static IReadOnlyList<IrcMessage> Wrap(string server, string label, IReadOnlyList<IrcMessage> lines, bool batch, string batchId)
    {
        switch (lines.Count)
        {
            case 0:
                return [new IrcMessage(server, "ACK", []).WithTag(LabelKey, label)];
            case 1:
                return [lines[0].WithTag(LabelKey, label)];
        }

        if (!batch) return lines;
        var result = new List<IrcMessage>(lines.Count + 2) { new IrcMessage(server, "BATCH", ["+" + batchId, Cap]).WithTag(LabelKey, label) };
        foreach (var line in lines) result.Add(line.WithTag(BatchKey, batchId));
        result.Add(new IrcMessage(server, "BATCH", ["-" + batchId]));
        return result;
    }
}
