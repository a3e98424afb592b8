using System.Collections.Immutable;
using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// Cluster mode (<c>actornet.cluster.enabled</c>): nicks are claimed in the cluster-singleton <see cref="NickRegistry"/>;
/// every event this node's users cause in channels (and their NICK/QUIT/registration) is sent once to the chat service
/// of every other member, which delivers it to its local channel members and keeps a directory of remote users and
/// channel members. One sender (this actor) to one receiver (that node's chat service) over one Akka.Remote
/// association keeps per-sender order. A member that comes up gets this node's <see cref="NodeSnapshot"/> first.
/// A member removed from the cluster (left, or downed by the split-brain resolver) quits all its users here.
/// </summary>
public sealed partial class ChatServer
{
    private sealed class RemoteUser(string node, RemoteUserInfo info)
    {
        public string Node { get; } = node;
        public RemoteUserInfo Info { get; set; } = info;
        public HashSet<string> Channels { get; } = new(StringComparer.Ordinal);
    }

    private sealed record PendingClaim(FromSession Origin, string Nick, ICancelable Timeout)
    {
        public bool Dead { get; set; }
    }

    private sealed record ClaimTimedOut(long Id);

    /// <summary>How long a nick claim may wait for the registry (e.g. during a singleton hand-over) before 437.</summary>
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(20);

    private bool _clustered;
    private string _selfNode = "";
    private string _nodeName = "";
    private IActorRef _registry = ActorRefs.Nobody;
    private readonly Dictionary<string, ActorSelection> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nodeNames = new(StringComparer.Ordinal);
    private Dictionary<string, RemoteUser> _remoteUsers = new();
    private readonly Dictionary<long, PendingClaim> _claims = new();
    private long _claimSeq;

    private void StartCluster()
    {
        if (((ExtendedActorSystem)Context.System).Provider is not ClusterActorRefProvider) return;
        _clustered = true;
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        _selfNode = cluster.SelfAddress.ToString();
        var config = Context.System.Settings.Config;
        _nodeName = config.HasPath("actornet.node.name") ? config.GetString("actornet.node.name") : _selfNode;
        _remoteUsers = new Dictionary<string, RemoteUser>(Casemap);
        Context.System.Settings.InjectTopLevelFallback(ClusterSingleton.DefaultConfig());
        var chatPath = Self.Path.ToStringWithoutAddress();
        Context.ActorOf(ClusterSingletonManager.Props(NickRegistry.Props(Casemap, chatPath), PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(Context.System)), "nick-registry");
        _registry = Context.ActorOf(ClusterSingletonProxy.Props(chatPath + "/nick-registry",
            ClusterSingletonProxySettings.Create(Context.System)), "nick-registry-proxy");

        Receive<ClusterEvent.MemberUp>(m => MemberUp(m.Member));
        Receive<ClusterEvent.MemberRemoved>(m => NodeGone(m.Member.Address.ToString(), m.PreviousStatus == MemberStatus.Exiting));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<NickRegistry.ClaimResult>(OnClaimResult);
        Receive<ClaimTimedOut>(OnClaimTimedOut);
        Receive<NickRegistry.ReassertRequest>(_ =>
        {
            var mine = _users.Values.Where(u => u.State.Registered).ToList();
            Sender.Tell(new NickRegistry.Reassert(_selfNode, mine.Select(u => u.State.NickOrStar).ToArray(), mine.Select(u => Claimant(u.Session)).ToArray()));
        });
        Receive<SnapshotRequest>(r =>
        {
            var peer = AddPeer(r.Node);
            peer?.Tell(Snapshot(), Self);
        });
        Receive<NodeSnapshot>(ApplySnapshot);
        Receive<ChannelEvent>(OnChannelEvent);
        Receive<RemoteSync>(s => Route(s.Key, s.Name, s, create: s.Members.Length > 0)); // bounced by a closing channel
        Receive<UserEvent>(OnUserEvent);
        Receive<PrivateLine>(p =>
        {
            if (TryFind(p.TargetNick, out var target)) target.Connection.Tell(p.Line.ToOutgoing().For(target.State.Caps), ActorRefs.NoSender);
        });
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));
    }

    private static string Claimant(IActorRef session) => session.Path.ToString();

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

    private static RemoteUserInfo Info(SessionState s) => new(s.NickOrStar, s.User, s.Host, s.RealName, s.Away, s.Oper);

    private NodeSnapshot Snapshot()
    {
        var users = _users.Values.Where(u => u.State.Registered).ToList();
        var channels = _channels.Select(c => new ChannelSnapshot(c.Key, c.Value.Name, c.Value.Topic, "", 0,
            users.Where(u => u.Channels.Contains(c.Key)).Select(u => new ChannelMemberInfo(u.State.NickOrStar, false, false)).ToArray()));
        return new NodeSnapshot(_selfNode, _nodeName, users.Select(u => Info(u.State)).ToArray(), channels.Where(c => c.Members.Length > 0).ToArray());
    }

    private void ApplySnapshot(NodeSnapshot s)
    {
        AddPeer(s.Node);
        _nodeNames[s.Node] = s.NodeName;
        foreach (var nick in _remoteUsers.Where(r => r.Value.Node == s.Node).Select(r => r.Key).ToList()) _remoteUsers.Remove(nick);
        foreach (var info in s.Users) _remoteUsers[info.Nick] = new RemoteUser(s.Node, info);
        foreach (var channel in s.Channels)
            foreach (var m in channel.Members)
                if (_remoteUsers.TryGetValue(m.Nick, out var user) && user.Node == s.Node) user.Channels.Add(channel.Key);

        var byKey = s.Channels.ToDictionary(c => c.Key, StringComparer.Ordinal);
        foreach (var key in _channels.Keys.Union(byKey.Keys).ToList())
        {
            byKey.TryGetValue(key, out var c);
            var name = c?.Name ?? _channels[key].Name;
            Route(key, name, new RemoteSync(s.Node, key, name, c?.Members ?? [], s.Users, c?.Topic, c?.TopicSetter ?? "", c?.TopicTimeMs ?? 0), create: c is not null);
        }
    }

    private void OnChannelEvent(ChannelEvent e)
    {
        if (e.Node.Length == 0)
        {
            ToPeers(e with { Node = _selfNode });
            return;
        }

        if (e.Who is { } who)
        {
            if (!_remoteUsers.TryGetValue(who.Nick, out var user) && e.Kind == "JOIN")
                _remoteUsers[who.Nick] = user = new RemoteUser(e.Node, who);
            if (user is not null && e.Kind == "JOIN") user.Channels.Add(e.Key);
            if (user is not null && e.Kind is "PART" or "QUIT") user.Channels.Remove(e.Key);
        }

        if (e.Kind == "KICK" && e.Target is { } target && _remoteUsers.TryGetValue(target, out var kicked)) kicked.Channels.Remove(e.Key);
        Route(e.Key, e.Name, e, create: e.Kind == "JOIN");
    }

    /// <summary>Sends to the local channel actor of <paramref name="key"/>, creating it when asked to.</summary>
    private void Route(string key, string name, object message, bool create)
    {
        if (!_channels.TryGetValue(key, out var entry))
        {
            if (!create) return;
            entry = NewChannel(key, name);
        }

        entry.Actor.Tell(message);
    }

    private ChannelEntry NewChannel(string key, string name)
    {
        var entry = new ChannelEntry(Context.ActorOf(ChannelActor.Props(name, _settings, _time, _clustered), "ch-" + ++_channelSeq), name);
        _channels[key] = entry;
        return entry;
    }

    private void OnUserEvent(UserEvent e)
    {
        if (e.Node == _selfNode)
        {
            ToPeers(e); // a local user's NICK/QUIT, handed back by the last of its channels
            return;
        }

        switch (e.Kind)
        {
            case "HELLO" or "UPDATE" when e.Info is { } info:
                if (_remoteUsers.TryGetValue(e.Nick, out var known)) known.Info = info;
                else _remoteUsers[e.Nick] = new RemoteUser(e.Node, info);
                break;
            case "NICK" when e.NewNick is { } newNick && _remoteUsers.Remove(e.Nick, out var renamed):
                var next = new RemoteUser(renamed.Node, renamed.Info with { Nick = newNick });
                next.Channels.UnionWith(renamed.Channels);
                _remoteUsers[newNick] = next;
                PassRemotePeer(renamed, e.Line!.ToOutgoing(), newNick);
                break;
            case "QUIT" when _remoteUsers.Remove(e.Nick, out var gone):
                PassRemotePeer(gone, e.Line!.ToOutgoing(), null);
                break;
        }
    }

    private void PassRemotePeer(RemoteUser user, Outgoing message, string? newNick)
    {
        var channels = user.Channels.Select(k => _channels.TryGetValue(k, out var c) ? c.Actor : null).OfType<IActorRef>().ToArray();
        if (channels.Length == 0) return;
        channels[0].Tell(new RemotePeer(message, user.Node, user.Info.Nick, newNick, channels[1..], ImmutableHashSet<IActorRef>.Empty));
    }

    /// <summary>WHOIS of a user on another node (its node's name as the server); false when unknown.</summary>
    private bool RemoteWhois(string nick, Action<string, string[]> num)
    {
        if (!_clustered || !_remoteUsers.TryGetValue(nick, out var user)) return false;
        var i = user.Info;
        num(Protocol.Numerics.RPL_WHOISUSER, [i.Nick, i.User ?? "*", i.Host, "*", i.RealName ?? ""]);
        var channels = user.Channels.Select(k => _channels.TryGetValue(k, out var e) ? e.Name : null).OfType<string>().ToArray();
        if (channels.Length > 0) num(Protocol.Numerics.RPL_WHOISCHANNELS, [i.Nick, string.Join(' ', channels)]);
        num(Protocol.Numerics.RPL_WHOISSERVER, [i.Nick, _nodeNames.GetValueOrDefault(user.Node, user.Node), _settings.NetworkName + " (cluster member)"]);
        if (i.Oper) num(Protocol.Numerics.RPL_WHOISOPERATOR, [i.Nick, "is an IRC operator"]);
        if (i.Away is { } away) num(Protocol.Numerics.RPL_AWAY, [i.Nick, away]);
        num(Protocol.Numerics.RPL_ENDOFWHOIS, [i.Nick, "End of /WHOIS list"]);
        return true;
    }

    /// <summary>A member left the cluster: its users quit here (reason naming the node), its channel members go.</summary>
    private void NodeGone(string node, bool left)
    {
        _peers.Remove(node);
        var name = _nodeNames.Remove(node, out var n) ? n : node;
        var reason = (left ? "Node left: " : "Node lost: ") + name;
        var gone = _remoteUsers.Where(r => r.Value.Node == node).ToList();
        if (gone.Count > 0) _log.Info("chat: member {Node} removed; {Count} remote users quit", node, gone.Count);
        foreach (var (nick, user) in gone)
        {
            _remoteUsers.Remove(nick);
            PassRemotePeer(user, new Outgoing(Protocol.IrcMessage.FromSource(user.Info.Prefix, "QUIT", reason), _time.GetUtcNow()), null);
        }

        var purge = new RemoteNodeGone(node);
        foreach (var entry in _channels.Values) entry.Actor.Tell(purge);
    }
}
