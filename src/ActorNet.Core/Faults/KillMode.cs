namespace ActorNet.Faults;

/// <summary>How a connection is killed.</summary>
public enum KillMode
{
    /// <summary>Graceful: flush what is queued, send the error frame, FIN.</summary>
    Close,
    /// <summary>TCP reset at once, dropping what is queued.</summary>
    Reset,
    /// <summary>Throw inside the handler: supervision restarts it, the socket stays open.</summary>
    Crash,
}

/// <summary>Parses kill modes as written in URLs, HOCON and the CLI (close, reset, crash).</summary>
public static class KillModes
{
    public static bool TryParse(string? text, out KillMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "close": mode = KillMode.Close; return true;
            case "reset": mode = KillMode.Reset; return true;
            case "crash": mode = KillMode.Crash; return true;
            default: mode = default; return false;
        }
    }

    public static string Name(KillMode mode) => mode.ToString().ToLowerInvariant();
}

/// <summary>Thrown on purpose by the fault injector (mode=crash, killed listener) to exercise supervision.</summary>
public class InjectedFaultException(string message, string target = "?") : Exception(message)
{
    /// <summary>What was crashed (a listener name, a connection id).</summary>
    public string Target { get; } = target;
}

/// <summary>The listener is to be stopped (socket and connections closed) and re-created after the bind backoff:
/// `kill-listener`, or a UDP listener whose handler ran out of restarts. Any other failure of a listener (a crash by
/// path) restarts it in place, keeping its socket and clients.</summary>
public sealed class ListenerResetException(string message, string target) : InjectedFaultException(message, target);
