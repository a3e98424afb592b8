using System.Collections.Concurrent;
using Akka.Actor;

namespace ActorNet.Supervision;

/// <summary>
/// State that survives a restart: the failing instance puts its state here in PreRestart and the new instance of
/// the same actor takes it in PostRestart (Akka.Streams' ActorPublisher keeps its subscriber across restarts the
/// same way). Both calls run inside Akka's one recreate step while the actor is suspended, so no message is handled
/// between them: nothing queued meanwhile is handled without the state, nothing needs stashing, no order changes.
/// One per actor system (an extension, not static state). An entry lives from PreRestart to PostRestart only.
/// <para>What is carried is the predecessor's own state objects: they change owner (the predecessor is gone once its
/// PreRestart returned, and no one else ever sees them).</para>
/// </summary>
public sealed class CarryOver : IExtension
{
    private readonly ConcurrentDictionary<IActorRef, object> _states = new();

    public static CarryOver Get(ActorSystem system) => system.WithExtension<CarryOver, CarryOverProvider>();

    /// <summary>From PreRestart: the state for the next instance of <paramref name="self"/>.</summary>
    public void Hand(IActorRef self, object state) => _states[self] = state;

    /// <summary>From PostRestart: the state the previous instance of <paramref name="self"/> handed over, if any.</summary>
    public bool TryTake<T>(IActorRef self, out T state) where T : class
    {
        if (_states.TryRemove(self, out var s) && s is T t)
        {
            state = t;
            return true;
        }

        state = null!;
        return false;
    }
}

/// <summary>Creates the <see cref="CarryOver"/> extension.</summary>
public sealed class CarryOverProvider : ExtensionIdProvider<CarryOver>
{
    public override CarryOver CreateExtension(ExtendedActorSystem system) => new();
}
