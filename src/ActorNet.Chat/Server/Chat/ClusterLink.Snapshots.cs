using ActorNet.Chat.Cluster;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// The link's snapshots: the one this node sends a member that comes up (or asks), in parts when it would not fit one
/// Akka.Remote frame, and the parts of a peer's snapshot put together before it is applied.
/// </summary>
public sealed partial class ClusterLinkActor
{
    /// <summary>A part stays under half of Akka.Remote's frame (room for the envelope and for one item over the
    /// budget), and under 512 KiB so one snapshot does not hold the association for long between other messages.</summary>
    private long SnapshotPartBytes => Math.Min(_maxFrameBytes / 2, 512 * 1024);

    /// <summary>The most of one peer's snapshot (by its <see cref="WireSize"/> bound) collected before it is applied:
    /// about a million users. Past it the parts are dropped with an error; the peer's events still arrive.</summary>
    internal const long MaxSnapshotBytes = 256L * 1024 * 1024;

    /// <summary>One peer's snapshot being collected: its id and the parts so far (their count is the next index).</summary>
    private sealed class Assembly(long id)
    {
        public long Id { get; } = id;
        public List<NodeSnapshot> Parts { get; } = new();
        public long Bytes { get; set; }

        /// <summary>The rest of this snapshot's parts are skipped (it broke off, or passed the bound).</summary>
        public bool Dropped { get; set; }
    }

    private Dictionary<Address, Assembly> _assemblies = new();
    private long _nextSnapshotId = Random.Shared.NextInt64();

    /// <summary>This node's snapshot to <paramref name="peer"/>: one message when it fits a part, else its parts,
    /// told one after the other (one association: they arrive in order, and before any event sent after them).</summary>
    private void SendSnapshot(ICanTell peer, Address node)
    {
        var snapshot = Snapshot();
        var parts = SnapshotParts.Split(snapshot, SnapshotPartBytes);
        if (parts.Count == 1)
        {
            peer.Tell(snapshot, Self);
            return;
        }

        var id = _nextSnapshotId++;
        for (var i = 0; i < parts.Count; i++) peer.Tell(new NodeSnapshotPart(id, i, i == parts.Count - 1, parts[i]), Self);
        _log.Info("snapshot of this node ({Users} users, {Channels} channels) sent to {Peer} in {Parts} parts of at most {PartBytes} bytes",
            snapshot.Users.Length, snapshot.Channels.Length, node, parts.Count, SnapshotPartBytes);
    }

    private NodeSnapshot Snapshot()
    {
        var channels = _localChannels.Select(c => new ChannelSnapshot(c.Key, c.Value.Name, c.Value.Topic, c.Value.TopicSetter, c.Value.TopicTimeMs,
            c.Value.Members.Where(_localUsers.ContainsKey).Select(n => new ChannelMemberInfo(n, c.Value.Ops.Contains(n), c.Value.Voices.Contains(n))).ToArray(),
            c.Value.Modes, c.Value.Stamp));
        return new NodeSnapshot(_selfNode, _nodeName, _localUsers.Values.ToArray(), channels.Where(c => c.Members.Length > 0).ToArray());
    }

    private void OnSnapshot(NodeSnapshot s)
    {
        AddPeer(s.Origin);
        LearnPeer(s.Origin);
        foreach (var c in s.Channels)
            if (_localChannels.TryGetValue(c.Key, out var local)) local.Learn(c.Stamp);
        Tree.Channels.Tell(new ChannelsActor.FromPeer(s));
    }

    /// <summary>A part of a peer's snapshot: collected until its last part, then applied as one snapshot. Part 0
    /// starts a new collection (replacing an unfinished one). A part that does not follow the collection (this link
    /// was re-created in the middle of one) drops it and the rest of that snapshot's parts, and asks the peer for its
    /// snapshot again, once; a snapshot past <see cref="MaxSnapshotBytes"/> is dropped the same way, not asked again.</summary>
    private void OnSnapshotPart(NodeSnapshotPart p)
    {
        var origin = p.Content.Origin;
        if (p.Index == 0) _assemblies[origin] = new Assembly(p.Id);
        else if (!_assemblies.TryGetValue(origin, out var open) || open.Id != p.Id || (!open.Dropped && open.Parts.Count != p.Index))
        {
            _assemblies[origin] = new Assembly(p.Id) { Dropped = true };
            _log.Warning("snapshot part {Index} of {Id} from {Origin} does not follow the parts collected; that snapshot is dropped and asked again",
                p.Index, p.Id, origin);
            AddPeer(origin)?.Tell(new SnapshotRequest(_selfNode), Self);
        }

        var a = _assemblies[origin];
        if (!a.Dropped)
        {
            a.Bytes += WireSize.Of(p.Content);
            if (a.Bytes <= MaxSnapshotBytes) a.Parts.Add(p.Content);
            else
            {
                a.Dropped = true;
                a.Parts.Clear();
                _log.Error("the snapshot from {Origin} passed {Max} bytes at part {Index}; dropped: this node learns that node's users from its events only",
                    origin, MaxSnapshotBytes, p.Index);
            }
        }

        if (!p.Last) return;
        _assemblies.Remove(origin);
        if (!a.Dropped) OnSnapshot(SnapshotParts.Merge(a.Parts));
    }
}
