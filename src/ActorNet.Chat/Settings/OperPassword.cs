using ActorNet.Security;

namespace ActorNet.Chat.Settings;

/// <summary>
/// How an operator password is stored in <c>actornet.chat.opers</c>: a PBKDF2 hash from <c>actornet hash-password</c>
/// (<c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c>), or, for a throwaway test server only, <c>plain:PASSWORD</c> — marked so
/// that it is a deliberate choice, visible in review and logged as a warning at start. A bare string is refused: a
/// config file is read by more people and programs (backups, repositories, support bundles) than the operator.
/// </summary>
public static class OperPassword
{
    public const string PlainPrefix = "plain:";

    /// <summary>null when <paramref name="stored"/> is an accepted form; else why not.</summary>
    public static string? Problem(string stored)
    {
        if (stored.StartsWith(PlainPrefix, StringComparison.Ordinal))
            return stored.Length > PlainPrefix.Length ? null : "plain: needs a password after it";
        if (stored.StartsWith(PasswordHash.Scheme + "$", StringComparison.Ordinal))
            return PasswordHash.Parse(stored, out var error) is null ? error : null;
        return "a password in plain text is refused: store the hash `actornet hash-password` prints " +
               "(or, for a throwaway test server, write \"plain:PASSWORD\", which is logged as a warning)";
    }

    public static bool IsPlain(string stored) => stored.StartsWith(PlainPrefix, StringComparison.Ordinal);

    /// <summary>True when <paramref name="presented"/> is the password; constant time in the secret's content.</summary>
    public static bool Matches(string stored, string presented) =>
        IsPlain(stored) ? Secrets.EqualsConstantTime(presented, stored[PlainPrefix.Length..]) : PasswordHash.Verify(presented, stored);
}
