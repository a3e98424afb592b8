using System.Net;

namespace ActorNet.Transport;

/// <summary>Who a connection is: node-unique id, listener, endpoints and when it opened. Immutable.</summary>
public sealed record ConnectionInfo(long Id, string Listener, EndPoint Remote, EndPoint Local, DateTimeOffset OpenedAt)
{
    /// <summary>The actor name of the connection under its listener, e.g. c-42.</summary>
    public string ActorName => ActorNameFor(Id);

    public static string ActorNameFor(long id) => "c-" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Hands out node-unique connection ids. One instance per node (no static state); thread-safe.</summary>
public sealed class ConnectionIdGenerator
{
    private long _next;

    public long Next() => Interlocked.Increment(ref _next);
}
