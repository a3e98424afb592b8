namespace ActorNet.Chat.Cluster;

/// <summary>
/// Splits a <see cref="NodeSnapshot"/> into parts that each stay under a byte bound, and puts them together again.
/// A node's snapshot grows with its users (about 70 bytes each encoded, a channel member about 15 more), and
/// Akka.Remote drops a message past <c>akka.remote.dot-netty.tcp.maximum-frame-size</c> whole: without parts, a node
/// with enough users could never tell a peer who they are. Pure code: the property tests check that
/// <see cref="Merge"/> of <see cref="Split"/> is the snapshot again and that every part keeps to the bound.
/// </summary>
internal static class SnapshotParts
{
    /// <summary>
    /// The snapshot as parts whose <see cref="WireSize"/> bound is at most <paramref name="budget"/> each, except a part
    /// that holds a single item larger than that (one user, or one channel's head with one member), and a snapshot with
    /// nothing in it, which is always one part however long its node name. Users come
    /// first, in order, then the channels in order; a channel whose members do not fit the rest of a part continues in
    /// the next one, its head (name, topic, modes) repeated. A snapshot within the budget is one part: itself.
    /// </summary>
    public static IReadOnlyList<NodeSnapshot> Split(NodeSnapshot snapshot, long budget)
    {
        if (WireSize.Of(snapshot) <= budget || (snapshot.Users.Length == 0 && snapshot.Channels.Length == 0)) return [snapshot];

        var parts = new List<NodeSnapshot>();
        long header = WireSize.Header(snapshot);
        var users = new List<RemoteUserInfo>();
        var channels = new List<ChannelSnapshot>();
        var size = header;

        void Cut()
        {
            parts.Add(snapshot with { Users = users.ToArray(), Channels = channels.ToArray() });
            users.Clear();
            channels.Clear();
            size = header;
        }

        foreach (var u in snapshot.Users)
        {
            var n = WireSize.Of(u);
            if (size + n > budget && users.Count > 0) Cut();
            users.Add(u);
            size += n;
        }

        var members = new List<ChannelMemberInfo>();
        foreach (var c in snapshot.Channels)
        {
            var head = WireSize.Head(c);
            var first = c.Members.Length > 0 ? WireSize.Of(c.Members[0]) : 0;
            if (size + head + first > budget && (users.Count > 0 || channels.Count > 0)) Cut();
            size += head;
            members.Clear();
            foreach (var m in c.Members)
            {
                var n = WireSize.Of(m);
                if (size + n > budget && members.Count > 0)
                {
                    channels.Add(c with { Members = members.ToArray() });
                    members.Clear();
                    Cut();
                    size += head;
                }

                members.Add(m);
                size += n;
            }

            channels.Add(c with { Members = members.ToArray() });
        }

        if (users.Count > 0 || channels.Count > 0) Cut();
        return parts;
    }

    /// <summary>The snapshot the parts were split from (channel keys are unique in a snapshot, as a node's channels
    /// are): their users in order, and each channel once, with the members
    /// of all its parts in order (origin, node name and a channel's head are taken from its first part).</summary>
    public static NodeSnapshot Merge(IReadOnlyList<NodeSnapshot> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("no parts", nameof(parts));
        if (parts.Count == 1) return parts[0];

        var users = new List<RemoteUserInfo>();
        var channels = new List<(ChannelSnapshot Head, List<ChannelMemberInfo> Members)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            users.AddRange(part.Users);
            foreach (var c in part.Channels)
            {
                if (!index.TryGetValue(c.Key, out var i))
                {
                    index[c.Key] = i = channels.Count;
                    channels.Add((c, new List<ChannelMemberInfo>()));
                }

                channels[i].Members.AddRange(c.Members);
            }
        }

        return parts[0] with
        {
            Users = users.ToArray(),
            Channels = channels.Select(c => c.Head with { Members = c.Members.ToArray() }).ToArray(),
        };
    }
}
