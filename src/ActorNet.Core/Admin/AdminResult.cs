namespace ActorNet.Admin;

/// <summary>How a control-plane command ended (the HTTP endpoint maps it to a status code).</summary>
public enum AdminOutcome
{
    /// <summary>Done (HTTP 200).</summary>
    Ok,
    /// <summary>Malformed request (HTTP 400).</summary>
    BadRequest,
    /// <summary>No such connection, listener, link or toxic (HTTP 404).</summary>
    NotFound,
    /// <summary>Not possible in the current state, e.g. a toxic name taken, a listener waiting to re-bind (HTTP 409).</summary>
    Conflict,
    /// <summary>Refused: a node-local command sent from another ActorSystem (HTTP 403).</summary>
    Forbidden,
}

/// <summary>The reply to every control-plane command: outcome, a human-readable message, optional data.</summary>
public sealed record AdminResult(AdminOutcome Outcome, string Message, object? Data = null)
{
    public bool Ok => Outcome == AdminOutcome.Ok;

    public static AdminResult Done(string message, object? data = null) => new(AdminOutcome.Ok, message, data);

    public static AdminResult NotFound(string message) => new(AdminOutcome.NotFound, message);

    public static AdminResult Bad(string message) => new(AdminOutcome.BadRequest, message);

    public static AdminResult Conflict(string message) => new(AdminOutcome.Conflict, message);

    public static AdminResult Forbidden(string message) => new(AdminOutcome.Forbidden, message);
}
