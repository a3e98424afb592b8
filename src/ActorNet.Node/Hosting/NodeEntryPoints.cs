using ActorNet.Config;
using Akka.Actor;

namespace ActorNet.Node.Hosting;

/// <summary>
/// How the host starts and stops the node's actors. <see cref="Default"/> uses <see cref="ActorNetNode"/>;
/// tests can pass their own to exercise hosting, logging and shutdown without real listeners.
/// </summary>
/// <param name="Start">creates the node guardian in the running ActorSystem</param>
/// <param name="Stop">unbinds and closes everything below the guardian (runs in CoordinatedShutdown)</param>
public sealed record NodeEntryPoints(
    Func<ActorSystem, NodeSettings, IActorRef> Start,
    Func<IActorRef, TimeSpan, Task> Stop)
{
    /// <summary>The real node: <see cref="ActorNetNode.Start"/> and <see cref="ActorNetNode.StopAsync"/>.</summary>
    public static NodeEntryPoints Default { get; } = new((system, settings) => ActorNetNode.Start(system, settings, NodeHandlers.For(settings)), ActorNetNode.StopAsync);
}
