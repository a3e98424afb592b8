using Akka.Actor;

namespace ActorNet.Handlers;

/// <summary>
/// Props for actors created at a high rate (one per connection): a delegate call instead of
/// <c>Props.Create(() => new T(...))</c>, which builds an expression tree and reads its captured arguments by
/// reflection for every Props and then constructs the actor by reflection (measured on the accept path:
/// docs/BENCHMARKS.md). Akka keeps the producer in the Props, so a restart creates the actor the same way.
/// </summary>
public static class ActorProducer
{
    /// <summary>Props that create the actor with <paramref name="create"/> (called again on every restart).</summary>
    public static Props Props<TActor>(Func<TActor> create) where TActor : ActorBase =>
        Akka.Actor.Props.CreateBy(new DelegateProducer<TActor>(create));

    private sealed class DelegateProducer<TActor>(Func<TActor> create) : IIndirectActorProducer where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);

        public ActorBase Produce() => create();

        public void Release(ActorBase actor)
        {
        }
    }
}
