namespace ActorNet.Samples;

/// <summary>One request of the key-value line protocol. Pure parsing, tested without actors.</summary>
/// <remarks>
/// Grammar (one command per line, words separated by single spaces):
/// <c>SET key value…</c> | <c>GET key</c> | <c>DEL key</c> | <c>KEYS</c>. Keys are 1..64 printable ASCII characters.
/// </remarks>
public abstract record KeyValueCommand
{
    public sealed record Set(string Key, string Value) : KeyValueCommand;

    public sealed record Get(string Key) : KeyValueCommand;

    public sealed record Delete(string Key) : KeyValueCommand;

    public sealed record Keys : KeyValueCommand;

    /// <summary>A line that is not a valid command, with the error to send back.</summary>
    public sealed record Invalid(string Error) : KeyValueCommand;

    public const int MaxKeyLength = 64;

    public static KeyValueCommand Parse(string line)
    {
        var parts = line.Split(' ', 3);
        var verb = parts[0].ToUpperInvariant();
        return verb switch
        {
            "SET" when parts.Length == 3 => ValidKey(parts[1]) ? new Set(parts[1], parts[2]) : BadKey(),
            "GET" when parts.Length == 2 => ValidKey(parts[1]) ? new Get(parts[1]) : BadKey(),
            "DEL" when parts.Length == 2 => ValidKey(parts[1]) ? new Delete(parts[1]) : BadKey(),
            "KEYS" when parts.Length == 1 => new Keys(),
            "SET" => new Invalid("usage: SET key value"),
            "GET" or "DEL" => new Invalid($"usage: {verb} key"),
            "KEYS" => new Invalid("usage: KEYS"),
            _ => new Invalid("unknown command (SET, GET, DEL, KEYS)"),
        };
    }

    private static bool ValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is > ' ' and < (char)127);

    private static Invalid BadKey() => new($"keys are 1..{MaxKeyLength} printable ASCII characters");
}
