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

    /// <summary>Props for an actor type known only at run time (a handler named in HOCON), created by
    /// <paramref name="create"/> (e.g. a constructor compiled once per type, not reflection per actor).</summary>
    public static Props Props(Type actorType, Func<ActorBase> create)
    {
        ArgumentNullException.ThrowIfNull(actorType);
        if (!typeof(ActorBase).IsAssignableFrom(actorType)) throw new ArgumentException($"{actorType} is not an actor type", nameof(actorType));
        return Akka.Actor.Props.CreateBy(new TypedDelegateProducer(actorType, create));
    }

    /// <summary>A compiled call of <paramref name="actorType"/>'s public constructor that takes one
    /// <typeparamref name="TArg"/>: built once (an expression tree), then as cheap as <c>new</c>.</summary>
    public static Func<TArg, ActorBase> Constructor<TArg>(Type actorType)
    {
        var ctor = actorType.GetConstructor([typeof(TArg)])
                   ?? throw new ArgumentException($"{actorType} has no public constructor taking a {typeof(TArg).Name}", nameof(actorType));
        var arg = System.Linq.Expressions.Expression.Parameter(typeof(TArg), "arg");
        var body = System.Linq.Expressions.Expression.Convert(System.Linq.Expressions.Expression.New(ctor, arg), typeof(ActorBase));
        return System.Linq.Expressions.Expression.Lambda<Func<TArg, ActorBase>>(body, arg).Compile();
    }

    private sealed class TypedDelegateProducer(Type actorType, Func<ActorBase> create) : IIndirectActorProducer
    {
        public Type ActorType => actorType;

        public ActorBase Produce() => create();

        public void Release(ActorBase actor)
        {
        }
    }

    private sealed class DelegateProducer<TActor>(Func<TActor> create) : IIndirectActorProducer where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);

        public ActorBase Produce() => create();

        public void Release(ActorBase actor)
        {
        }
    }
}
