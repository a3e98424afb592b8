namespace ActorNet.Faults;

/// <summary>The node's active toxics. Thread-safe; changed by the fault injector, read by connections (when they
/// start and when told <c>ToxicsChanged</c>) and by UDP listeners.</summary>
public sealed class ToxicTable
{
    private readonly object _gate = new();
    private IReadOnlyList<ToxicSpec> _toxics = [];

    /// <summary>Every toxic, in the order added.</summary>
    public IReadOnlyList<ToxicSpec> All => Volatile.Read(ref _toxics);

    /// <summary>Adds <paramref name="toxic"/>; false if a toxic of that name exists.</summary>
    public bool TryAdd(ToxicSpec toxic)
    {
        lock (_gate)
        {
            if (_toxics.Any(t => t.Name == toxic.Name)) return false;
            Volatile.Write(ref _toxics, [.. _toxics, toxic]);
            return true;
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
