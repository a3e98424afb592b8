namespace ActorNet.Faults;

/// <summary>What <see cref="ToxicTable.Add"/> did.</summary>
public enum ToxicAddResult { Added, NameTaken, Full }

/// <summary>The node's active toxics. Thread-safe; changed by the fault injector, read by connections (when they
/// start and when told <c>ToxicsChanged</c>) and by UDP listeners.</summary>
public sealed class ToxicTable
{
    private readonly object _gate = new();
    private IReadOnlyList<ToxicSpec> _toxics = [];

    /// <summary>Every toxic, in the order added.</summary>
    public IReadOnlyList<ToxicSpec> All => Volatile.Read(ref _toxics);

    /// <summary>At most this many toxics at once (<c>actornet.faults.max-toxics</c>; set by the fault injector).</summary>
    public int Limit { get; set; } = 100;

    /// <summary>Adds <paramref name="toxic"/>; false if a toxic of that name exists or the table is full.</summary>
    public bool TryAdd(ToxicSpec toxic) => Add(toxic) == ToxicAddResult.Added;

    /// <summary>Adds <paramref name="toxic"/> unless its name is taken or the table holds <see cref="Limit"/> toxics.</summary>
    public ToxicAddResult Add(ToxicSpec toxic)
    {
        lock (_gate)
        {
            if (_toxics.Any(t => t.Name == toxic.Name)) return ToxicAddResult.NameTaken;
            if (_toxics.Count >= Limit) return ToxicAddResult.Full;
            Volatile.Write(ref _toxics, [.. _toxics, toxic]);
            return ToxicAddResult.Added;
        }
    }

    /// <summary>Removes the toxics on connection <paramref name="connectionId"/> (it closed: its id never comes back,
    /// so they would only take room); returns how many.</summary>
    public int RemoveConnection(long connectionId)
    {
        if (Volatile.Read(ref _toxics).All(t => t.ConnectionId != connectionId)) return 0; // the usual case: no lock
        lock (_gate)
        {
            var kept = _toxics.Where(t => t.ConnectionId != connectionId).ToList();
            var removed = _toxics.Count - kept.Count;
            Volatile.Write(ref _toxics, kept);
            return removed;
        }
    }

    /// <summary>Removes the toxic called <paramref name="name"/>; null if there is none.</summary>
    public ToxicSpec? Remove(string name)
    {
        lock (_gate)
        {
            var toxic = _toxics.FirstOrDefault(t => t.Name == name);
            if (toxic is null) return null;
            Volatile.Write(ref _toxics, _toxics.Where(t => t.Name != name).ToList());
            return toxic;
        }
    }

    /// <summary>The toxics acting on one direction of a connection (connectionId null: the listener's datagrams).</summary>
    /// <remarks>No toxic (the usual case): the shared empty list, so that 10,000 connections starting keep no list each.</remarks>
    public IReadOnlyList<ToxicSpec> For(string listener, long? connectionId, ToxicDirection direction)
    {
        var all = All;
        if (all.Count == 0) return [];
        var matching = all.Where(t => t.Direction == direction && t.Targets(listener, connectionId)).ToList();
        return matching.Count == 0 ? [] : matching;
    }
}
