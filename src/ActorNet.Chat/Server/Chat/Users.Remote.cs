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
    public sealed record NodeGone(Address Node, bool Left);

    /// <summary>A user of another node; in the LUSERS counts while it is in <see cref="_remoteUsers"/> (see
    /// <see cref="PutRemote"/>, <see cref="RemoveRemote"/>).</summary>
    private sealed class RemoteUser
    {
        private readonly Tally _tally;
        private RemoteUserInfo _info;

        public RemoteUser(Address node, RemoteUserInfo info, Tally tally)
        {
            Node = node;
            _info = info;
            _tally = tally;
        }

        public Address Node { get; }

        public RemoteUserInfo Info
        {
            get => _info;
            set
            {
                if (Counted) _tally.MoveRemote(_info, value);
                _info = value;
            }
        }

        public bool Counted { get; private set; }

        public void Count()
        {
            if (!Counted) _tally.MoveRemote(null, _info);
            Counted = true;
        }

        public void Forget()
        {
            if (Counted) _tally.MoveRemote(_info, null);
            Counted = false;
        }

        /// <summary>Folded channel name → display name.</summary>
        public Dictionary<string, string> Channels { get; } = new(StringComparer.Ordinal);
    }

    private Address _selfNode = null!;
    private Dictionary<string, RemoteUser> _remoteUsers;
    private Dictionary<Address, string> _nodeNames = new();

    private bool Clustered => Tree.Clustered;

    /// <summary>Into the remote directory (under its nick), counted; one it replaces is forgotten.</summary>
    private RemoteUser PutRemote(RemoteUser user)
    {
        if (_remoteUsers.Remove(user.Info.Nick, out var replaced)) replaced.Forget();
        _remoteUsers[user.Info.Nick] = user;
        user.Count();
        return user;
    }

    private bool RemoveRemote(string nick, out RemoteUser user)
    {
        if (!_remoteUsers.Remove(nick, out user!)) return false;
        user.Forget();
        return true;
    }

    internal static string Claimant(IActorRef session) => session.Path.ToString();

    private void StartCluster() => _selfNode = Akka.Cluster.Cluster.Get(Context.System).SelfAddress;

    private void ReceiveRemote()
    {
        Receive<ClaimDecided>(OnClaimDecided);
        Receive<LateGrant>(g =>
        {
            if (!TryFindSession(g.Claimant, g.Nick)) ReleaseNick(g.Nick, g.Claimant);
        });
        Receive<NickReassertRequest>(_ => Sender.Tell(new NickReassert(_selfNode,
            _users.Values.Where(u => u.State.Registered).Select(u => new NickHolder(u.State.NickOrStar, Claimant(u.Session))).ToArray())));
        Receive<NodeSnapshot>(ApplySnapshot);
        Receive<ChannelEvent>(OnRemoteChannelEvent);
        Receive<UserEvent>(OnUserEvent);
        Receive<NodeGone>(g => OnNodeGone(g.Node, g.Left));
        ReceivePrivateLines();
        ReceiveRemoteCommands();
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

    private void AnnounceUser(SessionState state, UserChange change)
    {
        if (UserAnnouncement(state, change) is { } e) Tree.Link?.Tell(e);
    }

    /// <summary>The event for the other nodes about a local user (null on a single node).</summary>
    private UserEvent? UserAnnouncement(SessionState state, UserChange change) => Clustered ? new UserEvent(_selfNode, state.NickOrStar, change) : null;

    private void ApplySnapshot(NodeSnapshot s)
    {
        _nodeNames[s.Origin] = s.NodeName;
        var had = _remoteUsers.Where(r => r.Value.Node.Equals(s.Origin)).Select(r => r.Value.Info.Nick).ToHashSet(Casemap);
        foreach (var nick in had) RemoveRemote(nick, out _);
        foreach (var info in s.Users) PutRemote(new RemoteUser(s.Origin, info, _tally));
        // MONITOR: who of that node appeared or went since what was known of it
        foreach (var info in s.Users.Where(u => !had.Contains(u.Nick))) MonitorOnline(info.Nick, info.Prefix);
        foreach (var nick in had.Where(n => !_remoteUsers.ContainsKey(n))) MonitorOffline(nick);
        foreach (var channel in s.Channels)
            foreach (var m in channel.Members)
                if (_remoteUsers.TryGetValue(m.Nick, out var user) && user.Node.Equals(s.Origin)) user.Channels[channel.Key] = channel.Name;
    }

    /// <summary>A channel event from another node (already delivered to the channel by <c>channels</c>): who is on which channel.</summary>
    private void OnRemoteChannelEvent(ChannelEvent e)
    {
        var who = e.Who;
        if (!_remoteUsers.TryGetValue(who.Nick, out var user) && e.Change is MemberJoined)
        {
            user = PutRemote(new RemoteUser(e.Origin!, who, _tally));
            MonitorOnline(who.Nick, who.Prefix);
        }
        if (user is not null && e.Change is MemberJoined) user.Channels[e.Key] = e.Name;
        if (user is not null && e.Change is MemberParted or MemberQuit) user.Channels.Remove(e.Key);
        if (e.Change is MemberKicked { Target: var target } && _remoteUsers.TryGetValue(target, out var kicked)) kicked.Channels.Remove(e.Key);
    }

    private void OnUserEvent(UserEvent e)
    {
        switch (e.Change)
        {
            case UserRegistered { Info: var info }:
                Learn(e, info);
                break;
            case UserUpdated { Info: var info }:
                Learn(e, info);
                break;
            case UserRenamed { NewNick: var newNick, Line: var line } when RemoveRemote(e.Nick, out var renamed):
                var next = new RemoteUser(renamed.Node, renamed.Info with { Nick = newNick }, _tally);
                foreach (var (key, name) in renamed.Channels) next.Channels[key] = name;
                PutRemote(next);
                PassRemotePeer(renamed, line.ToOutgoing(), newNick);
                MonitorRenamed(renamed.Info.Nick, newNick, next.Info.Prefix);
                break;
            case UserQuit { Line: var line } when RemoveRemote(e.Nick, out var gone):
                PassRemotePeer(gone, line.ToOutgoing(), null);
                MonitorOffline(gone.Info.Nick);
                break;
        }

        if (e.Change is UserRenamed or UserQuit) Tree.Channels.Tell(ChannelsActor.Resume.Instance);
    }

    /// <summary>A user of another node registered or changed (away, oper, realname): MONITOR watchers learn of a
    /// new one, away-notify / setname clients of a change.</summary>
    private void Learn(UserEvent e, RemoteUserInfo info)
    {
        if (_remoteUsers.TryGetValue(e.Nick, out var known))
        {
            var before = known.Info;
            known.Info = info;
            AnnounceRemotePresence(known, before);
        }
        else
        {
            PutRemote(new RemoteUser(e.Origin, info, _tally));
            MonitorOnline(info.Nick, info.Prefix);
        }
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
        num(Numerics.RPL_WHOISSERVER, [i.Nick, _nodeNames.GetValueOrDefault(user.Node, user.Node.ToString()), _settings.NetworkName + " (cluster member)"]);
        if (i.Oper) num(Numerics.RPL_WHOISOPERATOR, [i.Nick, "is an IRC operator"]);
        if (i.Away is { } away) num(Numerics.RPL_AWAY, [i.Nick, away]);
        num(Numerics.RPL_ENDOFWHOIS, [i.Nick, "End of /WHOIS list"]);
        return true;
    }

    /// <summary>A member left the cluster: its users quit here (reason naming the node), then its channel members go.</summary>
    private void OnNodeGone(Address node, bool left)
    {
        _peerUsers.Remove(node);
        FailPending(node, "its server left the network");
        var name = _nodeNames.Remove(node, out var n) ? n : node.ToString();
        var reason = (left ? "Node left: " : "Node lost: ") + name;
        var gone = _remoteUsers.Where(r => r.Value.Node.Equals(node)).ToList();
        if (gone.Count > 0) _log.Info("chat: member {Node} removed; {Count} remote users quit", node, gone.Count);
        foreach (var (nick, user) in gone)
        {
            RemoveRemote(nick, out _);
            MonitorOffline(user.Info.Nick);
            PassRemotePeer(user, new Outgoing(IrcMessage.FromSource(user.Info.Prefix, "QUIT", reason), _time.GetUtcNow()), null);
        }

        Tree.Channels.Tell(new ChannelsActor.ToAll(new RemoteNodeGone(node)));
        Tree.Channels.Tell(ChannelsActor.Resume.Instance);
    }
}
