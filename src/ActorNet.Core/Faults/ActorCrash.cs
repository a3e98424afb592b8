using Akka.Actor;
using Akka.Dispatch.SysMsg;

namespace ActorNet.Faults;

/// <summary>
/// Crash by path: makes any actor under /user/actornet fail as if it had thrown, without its code taking part —
/// so the node's own services, Akka-based actors we do not own and users' custom handlers are crashed the same way.
/// <para>
/// How: the target is suspended (the <see cref="Suspend"/> system message: it finishes the message it is on, then
/// takes no more), and its parent gets the <see cref="Failed"/> system message that Akka itself sends when a child
/// throws, with an <see cref="InjectedFaultException"/> as the cause. From there it is Akka's ordinary failure path:
/// the parent's <see cref="SupervisorStrategy"/> decides (restart, resume, stop, escalate); a restart runs
/// PreRestart/PostRestart and builds a fresh instance with the same Props. Messages in the target's mailbox stay
/// there and are processed after the restart (or go to dead letters if it is stopped). The parent's strategy
/// must therefore expect the exception type like any other: a handler restarts, a listener is re-created after its
/// bind backoff, a service restarts.
/// </para>
/// </summary>
public static class ActorCrash
{
    /// <summary>The root of what may be crashed; the guardian itself is not (nothing would supervise it usefully).</summary>
    public const string Root = "/user/" + ActorNetNode.GuardianName;

    /// <summary>Why <paramref name="path"/> cannot name a crashable actor (a 400), or null.</summary>
    public static string? PathProblem(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return "give \"path\": an actor path such as /user/actornet/services/chat (see GET /tree)";
        if (path == Root || path == Root + "/") return $"{Root} is the node guardian; crash one of the actors below it";
        if (!path.StartsWith(Root + "/", StringComparison.Ordinal)) return $"'{path}' is outside {Root}: only the node's own actors can be crashed";
        if (path.Split('/').Skip(1).Any(e => e.Length == 0)) return $"'{path}' has an empty path element";
        return null;
    }

    /// <summary>The live local actor at <paramref name="path"/> (checked by <see cref="PathProblem"/>), or null.
    /// Reads the actors' children containers (as <see cref="Admin.TreeSnapshot"/> does): no messages, no waiting.</summary>
    public static IActorRef? Find(ActorSystem system, string path)
    {
        IActorRef current = ((ExtendedActorSystem)system).Guardian; // /user
        foreach (var name in path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            if (current is not ActorRefWithCell withCell) return null;
            var child = withCell.GetSingleChild(name);
            if (child.IsNobody()) return null;
            current = child;
        }

        return current;
    }

    /// <summary>Every live actor below <paramref name="root"/> (not itself), ordered by path — what chaos draws
    /// services from, so the same tree and seed draw the same actor.</summary>
    public static IReadOnlyList<IActorRef> Below(IActorRef root)
    {
        var found = new List<IActorRef>();
        Walk(root, found);
        found.Sort((a, b) => string.CompareOrdinal(PathOf(a), PathOf(b)));
        return found;
    }

    /// <summary>The path as the admin API writes it: /user/actornet/..., no address.</summary>
    public static string PathOf(IActorRef actor) => "/" + string.Join('/', actor.Path.Elements);

    /// <summary>Fails <paramref name="target"/> with <paramref name="cause"/> through its parent's supervisor strategy.</summary>
    public static void Crash(IActorRef target, InjectedFaultException cause)
    {
        if (target is not ActorRefWithCell withCell) throw new ArgumentException($"{target} is not a local actor", nameof(target));
        var internalRef = (IInternalActorRef)target;
        internalRef.SendSystemMessage(new Suspend());
        withCell.Parent.SendSystemMessage(new Failed(target, cause, target.Path.Uid));
    }

    private static void Walk(IActorRef actor, List<IActorRef> found)
    {
        if (actor is not ActorRefWithCell withCell) return;
        foreach (var child in withCell.Children)
        {
            found.Add(child);
            Walk(child, found);
        }
    }
}
