using ActorNet.Config;
using ActorNet.Admin;
using ActorNet.Security;

namespace ActorNet.Node.Admin;

/// <summary>
/// The generated admin token's file: <c>actornet.admin.token-file</c>, else <c>~/.actornet/NODE.admin-token</c>.
/// The node writes a fresh random token there at each start when none is configured (directory 0700, file 0600:
/// only the user who runs the node can read it); <c>actornet ctl</c> reads it from the same place, so on one machine
/// nobody has to copy a token around and no well-known secret ever exists.
/// </summary>
public static class AdminTokenFile
{
    /// <summary>Where the token of the node with these settings lives.</summary>
    public static string PathFor(NodeSettings settings)
    {
        var configured = settings.AdminOrDefault.TokenFile;
        if (!string.IsNullOrEmpty(configured))
            return configured.StartsWith("~/", StringComparison.Ordinal) ? System.IO.Path.Combine(Home, configured[2..]) : System.IO.Path.GetFullPath(configured);
        return System.IO.Path.Combine(Home, ".actornet", settings.NodeName + ".admin-token");
    }

    private static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } h ? h : System.IO.Path.GetTempPath();

    /// <summary>Makes a random token and writes it to <paramref name="path"/> readable only by this user.</summary>
    public static string Generate(string path)
    {
        var token = Secrets.NewToken();
        var dir = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
            else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Never rewrite an existing file in place: it might have looser permissions (or be a link someone planted).
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(token + "\n");
        return token;
    }

    /// <summary>The token in <paramref name="path"/>, or null when there is no readable file.</summary>
    public static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() is { Length: > 0 } t ? t : null : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Non-loopback admin without a token: the reason start is refused, or null when fine.</summary>
    public static ConfigError? RequireTokenOffLoopback(AdminSettings admin) =>
        admin.Enabled && !admin.IsLoopback && string.IsNullOrEmpty(admin.Token)
            ? new ConfigError("actornet.admin.token",
                $"required when actornet.admin.bind ({admin.BindDisplay}) is not a loopback address: other machines could reach the endpoint, " +
                $"and a generated token is only for this machine. Set a token of 16+ characters (or {AdminSettings.TokenEnvironmentVariable}), or bind to 127.0.0.1")
            : null;
}
