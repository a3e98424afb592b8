using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Settings;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// <c>chat/cluster-link</c> (cluster mode, <c>actornet.cluster.enabled</c>): replication to the other members. Every
/// event this node's users cause in channels (sent here by the channel actors) and their registration, NICK and
/// QUIT (sent by <c>users</c>, or by the last of their channels) is sent once to the <c>cluster-link</c> of every
/// other member; one sender to one receiver over one Akka.Remote association keeps per-sender order. What arrives
/// from the others goes to <c>channels</c> in that order. A member that comes up gets this node's
/// <see cref="NodeSnapshot"/> first, built from the very events this link has sent (so it never contradicts them).
/// A member removed from the cluster (left, or downed by the split-brain resolver) quits all its users here.
/// </summary>
public sealed partial class ClusterLinkActor : ChatChild
{
    /// <summary>What this link has told the others about one local channel (and what they told it of its modes).</summary>
    private sealed class LocalChannel(string name, IEqualityComparer<string> casemap)
    {
        public string Name { get; } = name;
        public string? Topic { get; set; }
        public string? TopicSetter { get; set; }
        public long TopicTimeMs { get; set; }
        public ChannelModes Modes { get; set; } = ChannelModes.Default;

        /// <summary>The channel's creation stamp: the local channel's word (with each JOIN), or a peer's that
        /// precedes it (the same rule the channel applies, so the snapshot agrees with what the channel did).</summary>
        public ChannelStamp? Stamp { get; set; }

        public void Learn(ChannelStamp? theirs)
        {
            if (theirs is not null && (Stamp is null || theirs.Precedes(Stamp))) Stamp = theirs;
        }

        public HashSet<string> Members { get; } = new(casemap);
        public HashSet<string> Ops { get; } = new(casemap);
        public HashSet<string> Voices { get; } = new(casemap);

        public void Remove(string nick)
        {
            Members.Remove(nick);
            Ops.Remove(nick);
            Voices.Remove(nick);
        }

        public void Rename(string nick, string newNick)
        {
            if (Members.Remove(nick)) Members.Add(newNick);
            if (Ops.Remove(nick)) Ops.Add(newNick);
            if (Voices.Remove(nick)) Voices.Add(newNick);
        }
    }

    private readonly ChatSettings _settings;
    /// <summary>The other members' links: an <see cref="ActorSelection"/> until the peer's own ref is known (the sender
    /// of its snapshot or snapshot request), then that ref. A selection crosses as a wrapped envelope that is
    /// serialized twice, copied twice more and resolved path element by path element on the receiver, per message:
    /// a quarter of the cross-node fan-out's CPU went to remoting, most of it this wrapping.</summary>
    private Dictionary<Address, ICanTell> _peers = new();
    private Dictionary<string, RemoteUserInfo> _localUsers;
    private Dictionary<string, LocalChannel> _localChannels = new(StringComparer.Ordinal);
    private Address _selfNode = null!;
    private string _nodeName = "";
    private readonly List<IPeerEvent> _outbox = new();
    private int _outboxBytes;
    private long _maxFrameBytes = 128_000;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>A batch stays below Akka.Remote's maximum frame size (128 000 bytes by default): it is sent once the
    /// upper bounds of its events (<see cref="IPeerEvent.MaxWireBytes"/>) reach this, so it holds at most this plus
    /// one event. Akka.Remote would drop a larger one with a log line, and every event in it with it.</summary>
    internal const int MaxBatchBytes = 48 * 1024;

    internal const int MaxBatchEvents = 512;

    private sealed record FlushOutboxNow
    {
        public static readonly FlushOutboxNow Instance = new();
    }

    /// <summary>Asks how the link reaches each peer (answered <see cref="PeerRoutes"/>): tests and diagnostics.</summary>
    public sealed record GetPeerRoutes
    {
        public static readonly GetPeerRoutes Instance = new();
    }

    /// <summary>Each peer's node and whether it is told through its link's ref (true) or still a selection.</summary>
    public sealed record PeerRoutes(IReadOnlyDictionary<Address, bool> ByRef);

    /// <summary>Channel → link: the local channel took another node's stamp (<see cref="ChannelStamp"/>). The link
    /// cannot always have learnt it itself: the other node's first JOIN may have passed through here before this node's
    /// own first JOIN made the channel local, and a snapshot with the beaten stamp would then deny a late node the ops
    /// given here since.</summary>
    public sealed record StampLearned(string Key, ChannelStamp Stamp);

    public ClusterLinkActor(ChatSettings settings)
    {
        _settings = settings;
        _localUsers = new Dictionary<string, RemoteUserInfo>(settings.CaseMapping);
    }

    public static Props Props(ChatSettings settings) => Akka.Actor.Props.Create(() => new ClusterLinkActor(settings));

    protected override void PreStart()
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        _selfNode = cluster.SelfAddress;
        var config = Context.System.Settings.Config;
        _nodeName = config.HasPath("actornet.node.name") ? config.GetString("actornet.node.name") : _selfNode.ToString();
        _maxFrameBytes = config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size") ?? 128_000;
    }

    protected override void OnTree() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.UnreachableMember));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    protected override void Running()
    {
        Receive<ClusterEvent.MemberUp>(m => MemberUp(m.Member));
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            var node = m.Member.Address;
            _peers.Remove(node);
            _assemblies.Remove(node);
            Tree.Channels.Tell(new ChannelsActor.FromPeer(new UsersActor.NodeGone(node, m.PreviousStatus == MemberStatus.Exiting)));
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        // private lines to it that are not acknowledged yet fail now (401), not when it is removed
        Receive<ClusterEvent.UnreachableMember>(u => Tree.Users.Tell(new UsersActor.NodeUnreachable(u.Member.Address)));
        Receive<SnapshotRequest>(r =>
        {
            FlushOutbox(); // the snapshot includes the events still in the outbox: they must not reach the peer after it
            LearnPeer(r.Origin);
            if (AddPeer(r.Origin) is { } peer) SendSnapshot(peer, r.Origin);
        });
        Receive<FlushOutboxNow>(_ => FlushOutbox());
        Receive<StampLearned>(l =>
        {
            if (_localChannels.TryGetValue(l.Key, out var local)) local.Learn(l.Stamp);
        });
        Receive<GetPeerRoutes>(_ => Sender.Tell(new PeerRoutes(_peers.ToDictionary(p => p.Key, p => p.Value is IActorRef))));
        Receive<EventBatch>(b => FromPeer(b.Events));
        Receive<NodeSnapshot>(OnSnapshot);
        Receive<NodeSnapshotPart>(OnSnapshotPart);
        Receive<ChannelEvent>(e =>
        {
            if (e.Origin is not null)
            {
                FromPeer(e);
                return;
            }

            var stamped = e with { Origin = _selfNode };
            Record(stamped);
            Send(stamped);
        });
        Receive<UserEvent>(e =>
        {
            if (!e.Origin.Equals(_selfNode))
            {
                FromPeer(e);
                return;
            }

            Record(e);
            Send(e);
        });
    }

    private void FromPeer(IPeerEvent e)
    {
        RecordRemote(e);
        Tree.Channels.Tell(new ChannelsActor.FromPeer(e));
    }

    /// <summary>A batch goes on to <c>channels</c> in runs: the channel events between two user events as one
    /// message (one hop instead of one per event: the cross-node fan-out path), each user event alone (a NICK or
    /// QUIT makes <c>channels</c> wait for users, and what follows it must wait too).</summary>
    private void FromPeer(IPeerEvent[] events)
    {
        var start = 0;
        for (var i = 0; i <= events.Length; i++)
        {
            if (i < events.Length && events[i] is ChannelEvent)
            {
                RecordRemote(events[i]);
                continue;
            }

            var run = i - start;
            if (run == 1) Tree.Channels.Tell(new ChannelsActor.FromPeer(events[start]));
            else if (run > 1) Tree.Channels.Tell(new ChannelsActor.FromPeer(run == events.Length ? events : events[start..i]));
            if (i < events.Length) FromPeer(events[i]);
            start = i + 1;
        }
    }

    /// <summary>Another member's KICK of a local user, or TOPIC or MODE, changes what this node's snapshot says.</summary>
    private void RecordRemote(IPeerEvent e)
    {
        if (e is ChannelEvent { Change: MemberKicked or TopicChanged or ModesChanged } c && _localChannels.ContainsKey(c.Key)) Record(c);
        else if (e is ChannelEvent { Change: MemberJoined { Stamp: var stamp } } j && _localChannels.TryGetValue(j.Key, out var local)) local.Learn(stamp);
    }

    /// <summary>
    /// Local events leave in batches: collected until the <see cref="FlushOutboxNow"/> the first one scheduled comes
    /// round in the mailbox (so a batch holds what was already queued and never waits for more), then sent to every
    /// peer as one <see cref="EventBatch"/> (one remote message, one envelope, instead of one per event). Order is
    /// kept: one outbox, flushed before anything else that goes to a peer.
    /// </summary>
    private void Send(IPeerEvent e)
    {
        if (_peers.Count == 0) return;
        if (_outbox.Count == 0) Self.Tell(FlushOutboxNow.Instance);
        _outbox.Add(e);
        _outboxBytes += e.MaxWireBytes;
        if (_outbox.Count >= MaxBatchEvents || _outboxBytes >= MaxBatchBytes) FlushOutbox();
    }

    private void FlushOutbox()
    {
        if (_outbox.Count == 0) return;
        IChatClusterMessage message = _outbox.Count == 1 ? _outbox[0] : new EventBatch(_selfNode, _outbox.ToArray());
        _outbox.Clear();
        _outboxBytes = 0;
        ToPeers(message);
    }

    private ICanTell? AddPeer(Address node)
    {
        if (node.Equals(_selfNode)) return null;
        if (!_peers.TryGetValue(node, out var peer))
            _peers[node] = peer = Context.ActorSelection(Self.Path.ToStringWithAddress(node));
        return peer;
    }

    /// <summary>A peer's link sent this (with itself as sender): from now on it is told through its ref. Order holds
    /// across the switch: a selection and a ref to one node go over the same association, and its reader delivers
    /// both in arrival order. A peer whose chat service was re-created sends a new snapshot and request from its new
    /// link, so the ref is replaced then.</summary>
    private void LearnPeer(Address node)
    {
        if (node.Equals(_selfNode) || Sender.IsNobody() || !node.Equals(Sender.Path.Address) || !_peers.ContainsKey(node)) return;
        _peers[node] = Sender;
    }

    private void ToPeers(object message)
    {
        foreach (var peer in _peers.Values) peer.Tell(message, Self);
    }

    private void MemberUp(Member member)
    {
        FlushOutbox(); // to the peers it was meant for, before the new one counts
        var peer = AddPeer(member.Address);
        if (peer is null) return;
        SendSnapshot(peer, member.Address);
        peer.Tell(new SnapshotRequest(_selfNode), Self);
    }

    /// <summary>Keeps what the others have been told of local users and channels (for the snapshot).</summary>
    private void Record(UserEvent e)
    {
        switch (e.Change)
        {
            case UserRegistered { Info: var info }:
                _localUsers[e.Nick] = info;
                break;
            case UserUpdated { Info: var info }:
                _localUsers[e.Nick] = info;
                break;
            case UserRenamed { NewNick: var newNick }:
                if (_localUsers.Remove(e.Nick, out var old)) _localUsers[newNick] = old with { Nick = newNick };
                foreach (var c in _localChannels.Values) c.Rename(e.Nick, newNick);
                break;
            case UserQuit:
                _localUsers.Remove(e.Nick);
                foreach (var c in _localChannels.Values) c.Remove(e.Nick);
                DropEmpty();
                break;
        }
    }

    private void Record(ChannelEvent e)
    {
        if (!_localChannels.TryGetValue(e.Key, out var channel))
        {
            if (e.Change is not MemberJoined) return;
            _localChannels[e.Key] = channel = new LocalChannel(e.Name, _settings.CaseMapping);
        }

        switch (e.Change)
        {
            case MemberJoined { Op: var op, Modes: var modes, Stamp: var stamp }:
                channel.Members.Add(e.Who.Nick);
                if (op) channel.Ops.Add(e.Who.Nick);
                channel.Modes = modes; // this node's channel actor says so: the latest word
                channel.Stamp = stamp;
                break;
            case MemberParted or MemberQuit:
                channel.Remove(e.Who.Nick);
                break;
            case MemberKicked { Target: var target }:
                channel.Remove(target);
                break;
            case TopicChanged { Topic: var topic }:
                channel.Topic = string.IsNullOrEmpty(topic) ? null : topic;
                channel.TopicSetter = e.Who.Prefix;
                channel.TopicTimeMs = e.Line.TimeMs;
                break;
            case ModesChanged { Changes: var changes }:
                foreach (var c in changes)
                {
                    var prefixes = c.Mode switch { 'o' => channel.Ops, 'v' => channel.Voices, _ => null };
                    if (prefixes is null) channel.Modes = channel.Modes.With(c, _settings.CaseMapping);
                    else if (c.Arg is { } nick && channel.Members.Contains(nick) && c.Add) prefixes.Add(nick);
                    else if (c.Arg is { } gone) prefixes.Remove(gone);
                }

                break;
        }

        if (channel.Members.Count == 0) _localChannels.Remove(e.Key);
    }

    private void DropEmpty()
    {
        foreach (var key in _localChannels.Where(c => c.Value.Members.Count == 0).Select(c => c.Key).ToList()) _localChannels.Remove(key);
    }

    /// <summary>A crash hands the peers and what they have been told to the successor (the cluster subscription,
    /// made once, stays): the snapshot a member gets later still matches the events sent before the crash.</summary>
    private sealed record Handed(Dictionary<Address, ICanTell> Peers, Dictionary<string, RemoteUserInfo> Users, Dictionary<string, LocalChannel> Channels,
        Dictionary<Address, Assembly> Assemblies, long NextSnapshotId);

    /// <summary>The events still in the outbox leave first (in their order, before anything the successor sends).</summary>
    protected override object HandOver()
    {
        FlushOutbox();
        return new Handed(_peers, _localUsers, _localChannels, _assemblies, _nextSnapshotId);
    }

    protected override void TakeOver(object state)
    {
        var h = (Handed)state;
        (_peers, _localUsers, _localChannels, _assemblies, _nextSnapshotId) = (h.Peers, h.Users, h.Channels, h.Assemblies, h.NextSnapshotId);
    }
}
