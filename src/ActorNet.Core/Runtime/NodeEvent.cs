namespace ActorNet.Runtime;

/// <summary>
/// Something that happened on the node, as <c>GET /events</c> streams it (Server-Sent Events: <c>event: Kind</c>,
/// <c>data: JSON</c>). One record per kind of event; <see cref="Kind"/> is the SSE event name.
/// </summary>
public abstract record NodeEvent(DateTimeOffset At)
{
    /// <summary>The event's name on the wire, e.g. <c>connection-opened</c>.</summary>
    public abstract string Kind { get; }
}

/// <summary>A connection was accepted and registered.</summary>
public sealed record ConnectionOpened(DateTimeOffset At, long Id, string Listener, string Remote) : NodeEvent(At)
{
    public override string Kind => "connection-opened";
}

/// <summary>A connection closed, with the reason its close carried (a <see cref="Transport.DisconnectReason"/> name).</summary>
public sealed record ConnectionClosed(DateTimeOffset At, long Id, string Listener, string Reason, string? Detail) : NodeEvent(At)
{
    public override string Kind => "connection-closed";
}

/// <summary>An actor failed and its supervisor decided: restart, resume, stop or escalate.</summary>
/// <param name="Path">the failed actor, e.g. /user/actornet/listeners/echo/c-42/handler</param>
/// <param name="Directive">restart | resume | stop | escalate</param>
/// <param name="Error">the exception's message</param>
public sealed record ActorFailed(DateTimeOffset At, string Path, string Directive, string Error) : NodeEvent(At)
{
    public override string Kind => "actor-failed";
}

/// <summary>A kill or crash ordered by the admin API or chaos.</summary>
/// <param name="Target">what was hit: "connection 42", "listener echo", "link upstream-42", or an actor path</param>
/// <param name="Mode">close | reset | crash</param>
/// <param name="By">admin | chaos seed S #N</param>
public sealed record Killed(DateTimeOffset At, string Target, string Mode, string By) : NodeEvent(At)
{
    public override string Kind => "killed";
}

/// <summary>A toxic was added (Added = true) or removed.</summary>
public sealed record ToxicChanged(DateTimeOffset At, string Name, string Type, string Target, bool Added) : NodeEvent(At)
{
    public override string Kind => Added ? "toxic-added" : "toxic-removed";
}

/// <summary>Chaos drew (Target null: the draw chose nothing this time).</summary>
public sealed record ChaosDrawn(DateTimeOffset At, int Seed, long Sequence, string? Target) : NodeEvent(At)
{
    public override string Kind => "chaos-draw";
}

/// <summary>A cluster member changed status (up, leaving, exiting, removed, unreachable, reachable).</summary>
public sealed record ClusterMemberChanged(DateTimeOffset At, string Address, string Status) : NodeEvent(At)
{
    public override string Kind => "cluster-member";
}
