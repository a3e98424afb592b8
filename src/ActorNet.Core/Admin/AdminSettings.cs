namespace ActorNet.Admin;

/// <summary><c>actornet.admin</c>: the HTTP control plane.</summary>
/// <param name="Enabled">serve the admin endpoint</param>
/// <param name="Host">bind address (loopback by default)</param>
/// <param name="Port">bind port (0 = ephemeral)</param>
/// <param name="Token">bearer token for every call that reveals or changes the node; null or empty = the node makes
/// one at start (loopback only) and writes it to <see cref="TokenFile"/></param>
public sealed record AdminSettings(bool Enabled, string Host, int Port, string? Token)
{
    /// <summary><c>read-token</c>: a second token that may only read (status, connections, tree, metrics...).</summary>
    public string? ReadToken { get; init; }

    /// <summary><c>token-file</c>: where a generated token is written (null = ~/.actornet/NODE.admin-token).</summary>
    public string? TokenFile { get; init; }

    /// <summary><c>allowed-hosts</c>: Host header values accepted (DNS rebinding); empty = the bind address and localhost.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = Array.Empty<string>(); // one shared instance: records compare it by reference

    /// <summary><c>auth-throttle</c>: failed token attempts allowed per client address.</summary>
    public ActorNet.Security.ThrottleSettings AuthThrottle { get; init; } = ActorNet.Security.ThrottleSettings.Default;

    /// <summary>True when the endpoint binds to a loopback address (reachable only from this machine).</summary>
    public bool IsLoopback => Host == "localhost" || (System.Net.IPAddress.TryParse(Host, out var a) && System.Net.IPAddress.IsLoopback(a));

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
