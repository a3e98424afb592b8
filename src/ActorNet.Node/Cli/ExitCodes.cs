namespace ActorNet.Node.Cli;

/// <summary>Process exit codes of the <c>actornet</c> executable.</summary>
public static class ExitCodes
{
    /// <summary>Success, including a clean shutdown on SIGINT/SIGTERM.</summary>
    public const int Ok = 0;

    /// <summary>Unexpected failure (startup crash, I/O error, bug).</summary>
    public const int Failure = 1;

    /// <summary>The configuration is invalid; nothing was started.</summary>
    public const int InvalidConfig = 2;
}
