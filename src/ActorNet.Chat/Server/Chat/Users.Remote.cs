using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// Cluster mode, the users side: nick claims go to <c>nicks</c> (the cluster-wide registry) before they complete;
/// local users' registration, NICK and QUIT are announced through <c>cluster-link</c>; the users of other members
/// (learnt from their <see cref="NodeSnapshot"/>s, <see cref="UserEvent"/>s and channel JOINs, all handed on by
/// <c>channels</c> in the order <c>cluster-link</c> received them) answer WHOIS, ISON, PRIVMSG and nick collisions.
/// A PRIVMSG to a remote user goes straight to that node's <c>chat/users</c>.
/// </summary>
public sealed partial class UsersActor
{
    /// <summary>nicks → users: the registry's decision on a claim (or <paramref name="Unavailable"/>: no answer in time).</summary>
    public sealed record ClaimDecided(FromSession Origin, string Nick, bool Granted, bool Unavailable = false);

    /// <summary>nicks → users: a claim that was given up (timed out, or its session went) was granted anyway.</summary>
    public sealed record LateGrant(string Nick, string Claimant);

    /// <summary>cluster-link → users (through channels): a member left the cluster.</summary>
    public sealed record NodeGone(string Node, bool Left);

    private sealed class RemoteUser(string node, RemoteUserInfo info)
    {
        public string Node { get; } = node;
        public RemoteUserInfo Info { get; set; } = info;

        /// <summary>Folded channel name → display name.</summary>
        public Dictionary<string, string> Channels { get; } = new(StringComparer.Ordinal);
    }

    private string _selfNode = "";
    private Dictionary<string, RemoteUser> _remoteUsers;
    private readonly Dictionary<string, string> _nodeNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActorSelection> _peerUsers = new(StringComparer.Ordinal);

    private bool Clustered => Tree.Clustered;

    internal static string Claimant(IActorRef session) => session.Path.ToString();

    private void StartCluster() => _selfNode = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();

    private void ReceiveRemote()
    {
        Receive<ClaimDecided>(OnClaimDecided);
        Receive<LateGrant>(g =>
        {
            if (!TryFindSession(g.Claimant, g.Nick)) ReleaseNick(g.Nick, g.Claimant);
        });
        Receive<NickRegistry.ReassertRequest>(_ =>
        {
            var mine = _users.Values.Where(u => u.State.Registered).ToList();
            Sender.Tell(new NickRegistry.Reassert(_selfNode, mine.Select(u => u.State.NickOrStar).ToArray(), mine.Select(u => Claimant(u.Session)).ToArray()));
        });
        Receive<NodeSnapshot>(ApplySnapshot);
        Receive<ChannelEvent>(OnRemoteChannelEvent);
        Receive<UserEvent>(OnUserEvent);
        Receive<NodeGone>(g => OnNodeGone(g.Node, g.Left));
        Receive<PrivateLine>(p =>
        {
            if (TryFind(p.TargetNick, out var target)) target.Connection.Tell(p.Line.ToOutgoing().For(target.State.Caps), ActorRefs.NoSender);
        });
    }

    /// <summary>
    /// Cluster mode: the nick is free here and not known on another node; ask the registry (through <c>nicks</c>).
    /// The request completes when <see cref="ClaimDecided"/> comes.
    /// </summary>
    private bool ClaimRemotely(FromSession r, string nick, string? release)
    {
        if (!Clustered) return false;
        if (_remoteUsers.ContainsKey(nick))
        {
            r.Session.Tell(new NickInUseEvent(nick));
            return true;
        }

        Context.Watch(r.Session);
        Tree.Nicks!.Tell(new NicksActor.Claim(r, nick, release, _selfNode, Claimant(r.Session)));
        return true;
    }

    private void OnClaimDecided(ClaimDecided d)
    {
        var r = d.Origin;
        if (!d.Granted)
        {
            r.Session.Tell(new NickInUseEvent(d.Nick, d.Unavailable));
            return;
        }

        switch (r.Request)
        {
            case RegisterRequest reg when !LocallyTaken(reg.Nick, r.Session):
                CompleteRegister(r, reg);
                break;
            case ChangeNickRequest n when _users.TryGetValue(r.Session, out var user) && user.State.Registered && !LocallyTaken(n.NewNick, r.Session):
                CompleteNickChange(user, n.NewNick, r.Connection);
                break;
            default:
                ReleaseNick(d.Nick, Claimant(r.Session));
                if (_users.ContainsKey(r.Session) || r.Request is RegisterRequest) r.Session.Tell(new NickInUseEvent(d.Nick));
                break;
        }
    }

    private bool TryFindSession(string claimant, string nick) =>
        _nicks.TryGetValue(nick, out var session) && Claimant(session) == claimant;

    private bool LocallyTaken(string nick, IActorRef session) => _nicks.TryGetValue(nick, out var owner) && !owner.Equals(session);

    private void ReleaseNick(string nick, string claimant) => Tree.Nicks?.Tell(new NicksActor.Release(nick, claimant));

    private void AnnounceUser(string kind, SessionState state, string? newNick = null, Outgoing? line = null)
    {
        if (UserAnnouncement(kind, state, newNick, line) is { } e) Tree.Link?.Tell(e);
    }

    /// <summary>The event for the other nodes about a local user (null on a single node).</summary>
    private UserEvent? UserAnnouncement(string kind, SessionState state, string? newNick = null, Outgoing? line = null) =>
        Clustered ? new UserEvent(_selfNode, kind, state.NickOrStar, ClusterLinkActor.Info(state), newNick, line is null ? null : WireLine.From(line)) : null;

    /// <summary>PRIVMSG/NOTICE to a user of another node: sent to that node's <c>chat/users</c>.</summary>
    private bool PrivateMessageRemote(User from, MessageRequest m, IActorRef replyTo)
    {
        if (!Clustered || !_remoteUsers.TryGetValue(m.Target, out var target)) return false;
        if (m.Command == "TAGMSG")
        {
            from.Session.Tell(Completed.Instance); // TAGMSG stays node-local (README)
            return true;
        }

        var message = new Outgoing(new IrcMessage(from.State.Prefix, m.Command, [target.Info.Nick, m.Text]), _time.GetUtcNow(), assignMsgId: true);
        PeerUsers(target.Node).Tell(new PrivateLine(_selfNode, target.Info.Nick, WireLine.From(message)), Self);
        if (from.State.Has(CapCommands.EchoMessage)) replyTo.Tell(message.For(from.State.Caps), ActorRefs.NoSender);
        from.Session.Tell(m.Command != "NOTICE" && target.Info.Away is { } away
            ? new RepliesEvent([Replies.Numeric(Server, Numerics.RPL_AWAY, from.State.NickOrStar, target.Info.Nick, away)])
            : Completed.Instance);
        return true;
    }

    private ActorSelection PeerUsers(string node)
    {
        if (!_peerUsers.TryGetValue(node, out var peer))
            _peerUsers[node] = peer = Context.ActorSelection(Self.Path.ToStringWithAddress(Address.Parse(node)));
        return peer;
    }

    private void ApplySnapshot(NodeSnapshot s)
    {
        _nodeNames[s.Node] = s.NodeName;
        var had = _remoteUsers.Where(r => r.Value.Node == s.Node).Select(r => r.Value.Info.Nick).ToHashSet(Casemap);
        foreach (var nick in had) _remoteUsers.Remove(nick);
        foreach (var info in s.Users) _remoteUsers[info.Nick] = new RemoteUser(s.Node, info);
        // MONITOR: who of that node appeared or went since what was known of it
        foreach (var info in s.Users.Where(u => !had.Contains(u.Nick))) MonitorOnline(info.Nick, info.Prefix);
        foreach (var nick in had.Where(n => !_remoteUsers.ContainsKey(n))) MonitorOffline(nick);
        foreach (var channel in s.Channels)
            foreach (var m in channel.Members)
                if (_remoteUsers.TryGetValue(m.Nick, out var user) && user.Node == s.Node) user.Channels[channel.Key] = channel.Name;
    }

    /// <summary>A channel event from another node (already delivered to the channel by <c>channels</c>): who is on which channel.</summary>
    private void OnRemoteChannelEvent(ChannelEvent e)
    {
        if (e.Who is { } who)
        {
            if (!_remoteUsers.TryGetValue(who.Nick, out var user) && e.Kind == "JOIN")
            {
                _remoteUsers[who.Nick] = user = new RemoteUser(e.Node, who);
                MonitorOnline(who.Nick, who.Prefix);
            }
            if (user is not null && e.Kind == "JOIN") user.Channels[e.Key] = e.Name;
            if (user is not null && e.Kind is "PART" or "QUIT") user.Channels.Remove(e.Key);
        }

        if (e.Kind == "KICK" && e.Target is { } target && _remoteUsers.TryGetValue(target, out var kicked)) kicked.Channels.Remove(e.Key);
    }

    private void OnUserEvent(UserEvent e)
    {
        switch (e.Kind)
        {
            case "HELLO" or "UPDATE" when e.Info is { } info:
                if (_remoteUsers.TryGetValue(e.Nick, out var known))
                {
                    var before = known.Info;
                    known.Info = info;
                    AnnounceRemotePresence(known, before);
                }
                else
                {
                    _remoteUsers[e.Nick] = new RemoteUser(e.Node, info);
                    MonitorOnline(info.Nick, info.Prefix);
                }

                break;
            case "NICK" when e.NewNick is { } newNick && _remoteUsers.Remove(e.Nick, out var renamed):
                var next = new RemoteUser(renamed.Node, renamed.Info with { Nick = newNick });
                foreach (var (key, name) in renamed.Channels) next.Channels[key] = name;
                _remoteUsers[newNick] = next;
                PassRemotePeer(renamed, e.Line!.ToOutgoing(), newNick);
                MonitorRenamed(renamed.Info.Nick, newNick, next.Info.Prefix);
                break;
            case "QUIT" when _remoteUsers.Remove(e.Nick, out var gone):
                PassRemotePeer(gone, e.Line!.ToOutgoing(), null);
                MonitorOffline(gone.Info.Nick);
                break;
        }

        if (e.Kind is "NICK" or "QUIT") Tree.Channels.Tell(ChannelsActor.Resume.Instance);
    }

    private void PassRemotePeer(RemoteUser user, Outgoing message, string? newNick)
    {
        if (user.Channels.Count == 0) return;
        Tree.Channels.Tell(new ChannelsActor.Chain(user.Channels.Keys.ToArray(),
            new RemotePeer(message, user.Node, user.Info.Nick, newNick, [], System.Collections.Immutable.ImmutableHashSet<IActorRef>.Empty)));
    }

    /// <summary>WHOIS of a user on another node (its node's name as the server); false when unknown.</summary>
    private bool RemoteWhois(string nick, Action<string, string[]> num)
    {
        if (!Clustered || !_remoteUsers.TryGetValue(nick, out var user)) return false;
        var i = user.Info;
        num(Numerics.RPL_WHOISUSER, [i.Nick, i.User ?? "*", i.Host, "*", i.RealName ?? ""]);
        if (user.Channels.Count > 0) num(Numerics.RPL_WHOISCHANNELS, [i.Nick, string.Join(' ', user.Channels.Values)]);
        num(Numerics.RPL_WHOISSERVER, [i.Nick, _nodeNames.GetValueOrDefault(user.Node, user.Node), _settings.NetworkName + " (cluster member)"]);
        if (i.Oper) num(Numerics.RPL_WHOISOPERATOR, [i.Nick, "is an IRC operator"]);
        if (i.Away is { } away) num(Numerics.RPL_AWAY, [i.Nick, away]);
        num(Numerics.RPL_ENDOFWHOIS, [i.Nick, "End of /WHOIS list"]);
        return true;
    }

    /// <summary>A member left the cluster: its users quit here (reason naming the node), then its channel members go.</summary>
    private void OnNodeGone(string node, bool left)
    {
        _peerUsers.Remove(node);
        var name = _nodeNames.Remove(node, out var n) ? n : node;
        var reason = (left ? "Node left: " : "Node lost: ") + name;
        var gone = _remoteUsers.Where(r => r.Value.Node == node).ToList();
        if (gone.Count > 0) _log.Info("chat: member {Node} removed; {Count} remote users quit", node, gone.Count);
        foreach (var (nick, user) in gone)
        {
            _remoteUsers.Remove(nick);
            MonitorOffline(user.Info.Nick);
            PassRemotePeer(user, new Outgoing(IrcMessage.FromSource(user.Info.Prefix, "QUIT", reason), _time.GetUtcNow()), null);
        }

        Tree.Channels.Tell(new ChannelsActor.ToAll(new RemoteNodeGone(node)));
        Tree.Channels.Tell(ChannelsActor.Resume.Instance);
    }
}
