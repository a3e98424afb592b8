using ActorNet.Faults;
using ActorNet.Runtime;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Supervision;

/// <summary>
/// A one-for-one strategy that reports every decision it takes as an <see cref="ActorFailed"/> node event (GET
/// /events), beside Akka's own failure log. Used by the node's parents whose children are services (services/,
/// faults/, the guardian); a service's own subtree can use it the same way.
/// </summary>
public sealed class ObservedStrategy : OneForOneStrategy
{
    private readonly NodeEvents _events;

    /// <param name="events">where the decisions go</param>
    /// <param name="decider">the decisions (e.g. <see cref="SupervisorStrategy.DefaultDecider"/>)</param>
    /// <param name="maxRetries">restarts allowed within <paramref name="windowMs"/>; -1 = no limit</param>
    /// <param name="windowMs">the window of <paramref name="maxRetries"/> in milliseconds; -1 = no window</param>
    /// <param name="logging">false when the decider logs itself</param>
    public ObservedStrategy(NodeEvents events, IDecider decider, int maxRetries = -1, int windowMs = -1, bool logging = true)
        : base(maxRetries, windowMs, decider, logging) => _events = events;

    protected override void LogFailure(IActorContext context, IActorRef child, Exception cause, Directive directive)
    {
        // Crashes by path are expected: Akka's Error line (with a stack trace) is for real failures only.
        if (cause is not InjectedFaultException) base.LogFailure(context, child, cause, directive);
        else if (LoggingEnabled) context.GetLogger().Warning("{Path} crashed on purpose ({Error}); {Directive}", ActorCrash.PathOf(child), cause.Message, directive);
        _events.Publish(new ActorFailed(DateTimeOffset.UtcNow, ActorCrash.PathOf(child), directive.ToString().ToLowerInvariant(), cause.Message));
    }
}
