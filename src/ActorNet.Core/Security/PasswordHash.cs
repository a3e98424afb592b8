using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ActorNet.Security;

/// <summary>
/// Stored secrets (IRC operator passwords): PBKDF2-HMAC-SHA256 in a self-describing string,
/// <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (salt and hash in base64), as printed by <c>actornet hash-password</c>.
/// The format names its algorithm and cost so a later, stronger default does not invalidate stored hashes.
/// Verification compares in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>).
/// </summary>
public static class PasswordHash
{
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>The cost <c>actornet hash-password</c> uses (<c>--iterations</c> changes it). OWASP's 2023 figure for
    /// PBKDF2-HMAC-SHA256 is 600,000, aimed at large leaked user databases; an OPER check runs on the session's own
    /// thread, so the default keeps one check near 40 ms on a small core (failed attempts are throttled anyway).</summary>
    public const int DefaultIterations = 100_000;

    /// <summary>Iterations accepted in a stored hash: below the minimum is too weak to store, above the maximum would
    /// let a config entry make every OPER attempt burn seconds of CPU.</summary>
    public const int MinIterations = 10_000;

    public const int MaxIterations = 10_000_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A new hash of <paramref name="password"/> with a random salt.</summary>
    public static string Create(string password, int iterations = DefaultIterations)
    {
        if (iterations is < MinIterations or > MaxIterations) throw new ArgumentOutOfRangeException(nameof(iterations));
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>A parsed hash, or null with the reason when <paramref name="stored"/> is not one.</summary>
    public static Parsed? Parse(string stored, out string? error)
    {
        error = null;
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme)
        {
            error = $"not a {Scheme}$ITERATIONS$SALT$HASH string (make one with: actornet hash-password)";
            return null;
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < MinIterations or > MaxIterations)
        {
            error = $"iterations must be a whole number from {MinIterations} to {MaxIterations} (got '{parts[1]}')";
            return null;
        }

        byte[] salt, hash;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            error = "salt and hash must be base64";
            return null;
        }

        if (salt.Length < 8 || hash.Length is < 16 or > 64)
        {
            error = "salt must be at least 8 bytes and the hash 16 to 64 bytes";
            return null;
        }

        return new Parsed(iterations, salt, hash);
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="stored"/> (false for a malformed hash).</summary>
    public static bool Verify(string password, string stored) => Parse(stored, out _) is { } parsed && parsed.Matches(password);

    /// <summary>A stored hash, ready to check passwords against.</summary>
    public sealed record Parsed(int Iterations, byte[] Salt, byte[] Hash)
    {
        public bool Matches(string password)
        {
            var candidate = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Salt, Iterations, HashAlgorithmName.SHA256, Hash.Length);
            return CryptographicOperations.FixedTimeEquals(candidate, Hash);
        }
    }
}

/// <summary>Constant-time comparison of presented secrets (bearer tokens).</summary>
public static class Secrets
{
    /// <summary>True when both are non-empty and equal, in time that depends only on their lengths.</summary>
    public static bool EqualsConstantTime(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(expected)) return false;
        // Hash both first: FixedTimeEquals returns early on a length mismatch, which would leak the token's length.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    /// <summary>A new random token: 32 bytes from the OS CSPRNG, base64url (43 characters, no padding).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
