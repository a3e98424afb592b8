namespace ActorNet.Bench.Core;

/// <summary>Minimal IRC line slicing for the bench client: prefix, command, trailing parameter. No allocation.</summary>
public static class IrcLine
{
    /// <summary>The command token (after an optional <c>@tags</c> and <c>:prefix</c>), and the rest of the line.</summary>
    public static ReadOnlySpan<byte> Command(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> rest)
    {
        rest = default;
        if (!line.IsEmpty && line[0] == (byte)'@')
            line = SkipToken(line);
        if (!line.IsEmpty && line[0] == (byte)':')
            line = SkipToken(line);
        int sp = line.IndexOf((byte)' ');
        if (sp < 0)
            return line;
        rest = line[(sp + 1)..];
        return line[..sp];
    }

    /// <summary>The trailing parameter (after the first <c> :</c>) or the last parameter when there is none.</summary>
    public static ReadOnlySpan<byte> Trailing(ReadOnlySpan<byte> rest)
    {
        if (!rest.IsEmpty && rest[0] == (byte)':')
            return rest[1..];
        int i = rest.IndexOf(" :"u8);
        if (i >= 0)
            return rest[(i + 2)..];
        int sp = rest.LastIndexOf((byte)' ');
        return sp < 0 ? rest : rest[(sp + 1)..];
    }

    private static ReadOnlySpan<byte> SkipToken(ReadOnlySpan<byte> line)
    {
        int sp = line.IndexOf((byte)' ');
        return sp < 0 ? default : line[(sp + 1)..].TrimStart((byte)' ');
    }
}
