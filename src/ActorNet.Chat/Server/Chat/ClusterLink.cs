using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Settings;
using Akka.Actor;
using Akka.Cluster;

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
public sealed class ClusterLinkActor : ChatChild
{
    /// <summary>What this link has told the others about one local channel.</summary>
    private sealed class LocalChannel(string name, IEqualityComparer<string> casemap)
    {
        public string Name { get; } = name;
        public string? Topic { get; set; }
        public HashSet<string> Members { get; } = new(casemap);
    }

    private readonly ChatSettings _settings;
    private Dictionary<string, ActorSelection> _peers = new(StringComparer.Ordinal);
    private Dictionary<string, RemoteUserInfo> _localUsers;
    private Dictionary<string, LocalChannel> _localChannels = new(StringComparer.Ordinal);
    private string _selfNode = "";
    private string _nodeName = "";

    public ClusterLinkActor(ChatSettings settings)
    {
        _settings = settings;
        _localUsers = new Dictionary<string, RemoteUserInfo>(settings.CaseMapping);
    }

    public static Props Props(ChatSettings settings) => Akka.Actor.Props.Create(() => new ClusterLinkActor(settings));

    internal static RemoteUserInfo Info(SessionState s) => new(s.NickOrStar, s.User, s.Host, s.RealName, s.Away, s.Oper);

    protected override void PreStart()
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        _selfNode = cluster.SelfAddress.ToString();
        var config = Context.System.Settings.Config;
        _nodeName = config.HasPath("actornet.node.name") ? config.GetString("actornet.node.name") : _selfNode;
    }

    protected override void OnTree() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    protected override void Running()
    {
        Receive<ClusterEvent.MemberUp>(m => MemberUp(m.Member));
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            var node = m.Member.Address.ToString();
            _peers.Remove(node);
            Tree.Channels.Tell(new ChannelsActor.FromPeer(new UsersActor.NodeGone(node, m.PreviousStatus == MemberStatus.Exiting)));
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<SnapshotRequest>(r => AddPeer(r.Node)?.Tell(Snapshot(), Self));
        Receive<NodeSnapshot>(s =>
        {
            AddPeer(s.Node);
            Tree.Channels.Tell(new ChannelsActor.FromPeer(s));
        });
        Receive<ChannelEvent>(e =>
        {
            if (e.Node.Length == 0)
            {
                var stamped = e with { Node = _selfNode };
                Record(stamped);
                ToPeers(stamped);
                return;
            }

            // another member's KICK of a local user, or TOPIC, changes what this node's snapshot says
            if (e.Kind is "KICK" or "TOPIC" && _localChannels.ContainsKey(e.Key)) Record(e);
            Tree.Channels.Tell(new ChannelsActor.FromPeer(e));
        });
        Receive<UserEvent>(e =>
        {
            if (e.Node != _selfNode)
            {
                Tree.Channels.Tell(new ChannelsActor.FromPeer(e));
                return;
            }

            Record(e);
            ToPeers(e);
        });
    }

    private ActorSelection? AddPeer(string node)
    {
        if (node == _selfNode || node.Length == 0) return null;
        if (!_peers.TryGetValue(node, out var peer))
            _peers[node] = peer = Context.ActorSelection(Self.Path.ToStringWithAddress(Address.Parse(node)));
        return peer;
    }

    private void ToPeers(object message)
    {
        foreach (var peer in _peers.Values) peer.Tell(message, Self);
    }

    private void MemberUp(Member member)
    {
        var peer = AddPeer(member.Address.ToString());
        if (peer is null) return;
        peer.Tell(Snapshot(), Self);
        peer.Tell(new SnapshotRequest(_selfNode), Self);
    }

    /// <summary>Keeps what the others have been told of local users and channels (for the snapshot).</summary>
    private void Record(UserEvent e)
    {
        switch (e.Kind)
        {
            case "HELLO" or "UPDATE" when e.Info is { } info:
                _localUsers[e.Nick] = info;
                break;
            case "NICK" when e.NewNick is { } newNick:
                if (_localUsers.Remove(e.Nick, out var old)) _localUsers[newNick] = old with { Nick = newNick };
                foreach (var c in _localChannels.Values)
                    if (c.Members.Remove(e.Nick)) c.Members.Add(newNick);
                break;
            case "QUIT":
                _localUsers.Remove(e.Nick);
                foreach (var c in _localChannels.Values) c.Members.Remove(e.Nick);
                DropEmpty();
                break;
        }
    }

    private void Record(ChannelEvent e)
    {
        if (!_localChannels.TryGetValue(e.Key, out var channel))
        {
            if (e.Kind != "JOIN") return;
            _localChannels[e.Key] = channel = new LocalChannel(e.Name, _settings.CaseMapping);
        }

        switch (e.Kind)
        {
            case "JOIN" when e.Who is { } who:
                channel.Members.Add(who.Nick);
                break;
            case "PART" or "QUIT" when e.Who is { } who:
                channel.Members.Remove(who.Nick);
                break;
            case "KICK" when e.Target is { } target:
                channel.Members.Remove(target);
                break;
            case "TOPIC":
                channel.Topic = string.IsNullOrEmpty(e.Topic) ? null : e.Topic;
                break;
        }

        if (channel.Members.Count == 0) _localChannels.Remove(e.Key);
    }

    private void DropEmpty()
    {
        foreach (var key in _localChannels.Where(c => c.Value.Members.Count == 0).Select(c => c.Key).ToList()) _localChannels.Remove(key);
    }

    private NodeSnapshot Snapshot()
    {
        var channels = _localChannels.Select(c => new ChannelSnapshot(c.Key, c.Value.Name, c.Value.Topic, "", 0,
            c.Value.Members.Where(_localUsers.ContainsKey).Select(n => new ChannelMemberInfo(n, false, false)).ToArray()));
        return new NodeSnapshot(_selfNode, _nodeName, _localUsers.Values.ToArray(), channels.Where(c => c.Members.Length > 0).ToArray());
    }

    /// <summary>A crash hands the peers and what they have been told to the successor (the cluster subscription,
    /// made once, stays): the snapshot a member gets later still matches the events sent before the crash.</summary>
    private sealed record Handed(Dictionary<string, ActorSelection> Peers, Dictionary<string, RemoteUserInfo> Users, Dictionary<string, LocalChannel> Channels);

    protected override object HandOver() => new Handed(_peers, _localUsers, _localChannels);

    protected override void TakeOver(object state)
    {
        var h = (Handed)state;
        (_peers, _localUsers, _localChannels) = (h.Peers, h.Users, h.Channels);
    }
}
