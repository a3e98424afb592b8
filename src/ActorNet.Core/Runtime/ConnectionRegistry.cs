using System.Collections.Concurrent;
using ActorNet.Transport;
using Akka.Actor;

namespace ActorNet.Runtime;

/// <summary>One open connection as the control plane sees it.</summary>
/// <param name="Info">id, listener, endpoints, opened-at</param>
/// <param name="Actor">the connection actor (send it <see cref="Connection.Kill"/>)</param>
/// <param name="Stats">its live counters</param>
public sealed record ConnectionEntry(ConnectionInfo Info, IActorRef Actor, ConnectionStats Stats);

/// <summary>The node's open connections by id, filled by connection actors as they start and stop. Thread-safe;
/// owned by the node (<see cref="NodeRuntime"/>), never static.</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<long, ConnectionEntry> _open = new();
    private readonly Action<long>? _closed;

    /// <param name="closed">called with the id of each connection removed (the node drops its per-connection toxics)</param>
    public ConnectionRegistry(Action<long>? closed = null) => _closed = closed;

    public int Count => _open.Count;

    public bool TryGet(long id, out ConnectionEntry entry) => _open.TryGetValue(id, out entry!);

    /// <summary>A snapshot ordered by id (the order chaos mode draws from).</summary>
    public IReadOnlyList<ConnectionEntry> Snapshot() => _open.Values.OrderBy(e => e.Info.Id).ToList();

    internal void Add(ConnectionEntry entry) => _open[entry.Info.Id] = entry;

    internal void Remove(long id)
    {
        if (_open.TryRemove(id, out _)) _closed?.Invoke(id);
    }
}

/// <summary>An outbound link (e.g. a forward upstream) that can be killed by name.</summary>
/// <param name="Name">e.g. <c>upstream-42</c>: the upstream of connection 42</param>
/// <param name="Kind">e.g. <c>upstream</c></param>
/// <param name="ConnectionId">the client connection it serves</param>
/// <param name="Target">where it connects</param>
/// <param name="Actor">the link actor</param>
public sealed record LinkEntry(string Name, string Kind, long ConnectionId, string Target, IActorRef Actor);

/// <summary>The node's live outbound links by name. Thread-safe.</summary>
public sealed class LinkRegistry
{
    private readonly ConcurrentDictionary<string, LinkEntry> _links = new(StringComparer.Ordinal);

    public bool TryGet(string name, out LinkEntry entry) => _links.TryGetValue(name, out entry!);

    public IReadOnlyList<LinkEntry> Snapshot() => _links.Values.OrderBy(l => l.ConnectionId).ThenBy(l => l.Name, StringComparer.Ordinal).ToList();

    internal void Add(LinkEntry entry) => _links[entry.Name] = entry;

    /// <summary>Removes the entry only if it is still this actor's (a newer link may have taken the name).</summary>
    internal void Remove(string name, IActorRef actor)
    {
        if (_links.TryGetValue(name, out var entry) && entry.Actor.Equals(actor))
            _links.TryRemove(new KeyValuePair<string, LinkEntry>(name, entry));
    }
}
