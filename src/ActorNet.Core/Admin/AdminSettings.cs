namespace ActorNet.Admin;

/// <summary><c>actornet.admin</c>: the HTTP control plane.</summary>
/// <param name="Enabled">serve the admin endpoint</param>
/// <param name="Host">bind address (loopback by default)</param>
/// <param name="Port">bind port (0 = ephemeral)</param>
/// <param name="Token">bearer token for mutating calls; null or empty = mutating calls are refused</param>
public sealed record AdminSettings(bool Enabled, string Host, int Port, string? Token)
{
    /// <summary>Environment variable that overrides <see cref="Token"/>.</summary>
    public const string TokenEnvironmentVariable = "ACTORNET_ADMIN_TOKEN";

    public static AdminSettings Default { get; } = new(false, "127.0.0.1", 8080, null);

    /// <summary>These settings with the token from ACTORNET_ADMIN_TOKEN when it is set.</summary>
    public AdminSettings WithEnvironment(Func<string, string?>? getEnv = null)
    {
        var token = (getEnv ?? Environment.GetEnvironmentVariable)(TokenEnvironmentVariable);
        return string.IsNullOrEmpty(token) ? this : this with { Token = token };
    }

    public string BindDisplay => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
