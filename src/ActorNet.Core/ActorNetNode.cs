using ActorNet.Config;
using Akka.Actor;

namespace ActorNet;

/// <summary>Entry points to run an ActorNet node inside an ActorSystem.</summary>
public static class ActorNetNode
{
    /// <summary>Name of the top guardian: /user/actornet.</summary>
    public const string GuardianName = "actornet";

    /// <summary>Checks what the settings loader cannot (e.g. custom handler types resolve). Empty = OK. (STUB)</summary>
    public static IReadOnlyList<ConfigError> Validate(NodeSettings settings) => throw new NotImplementedException();

    /// <summary>Starts the node guardian (/user/actornet) and with it every listener. (STUB)</summary>
    public static IActorRef Start(ActorSystem system, NodeSettings settings) => throw new NotImplementedException();

    /// <summary>Unbinds all listeners and closes connections; completes when done. Called from CoordinatedShutdown. (STUB)</summary>
    public static Task StopAsync(IActorRef guardian, TimeSpan timeout) => throw new NotImplementedException();
}
