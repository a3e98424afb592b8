using System.Collections.Immutable;
using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using Akka.Actor;

namespace ActorNet.Chat.Server;

/// <summary>Server → channel: replace what the channel knows of <paramref name="Node"/>'s members (a snapshot).</summary>
public sealed record RemoteSync(Address Node, string Key, string Name, ChannelMemberInfo[] Members, RemoteUserInfo[] Users, string? Topic, string? TopicSetter, long TopicTimeMs,
    ChannelModes? Modes = null, ChannelStamp? Stamp = null);

/// <summary>NICK or QUIT of a user on another node, passed channel to channel like <see cref="PeerBroadcast"/>.</summary>
public sealed record RemotePeer(Outgoing Message, Address Node, string Nick, string? NewNick, IReadOnlyList<IActorRef> Remaining, ImmutableHashSet<IActorRef> Reached);

/// <summary>Server → channel: forget the members of a node that left the cluster (their QUITs were sent already).</summary>
public sealed record RemoteNodeGone(Address Node);

public sealed partial class ChannelActor
{
    /// <summary>A member of this channel on another node (cluster mode).</summary>
    private sealed class RemoteMember(Address node, RemoteUserInfo info, bool op, bool voice)
    {
        public Address Node { get; } = node;
        public RemoteUserInfo Info { get; set; } = info;
        public bool Op { get; set; } = op;
        public bool Voice { get; set; } = voice;

        public string Prefixes(bool multi) => multi ? (Op ? "@" : "") + (Voice ? "+" : "") : Op ? "@" : Voice ? "+" : "";
    }

    private int TotalMembers => _members.Count + _remote.Count;

    private void ReceiveRemote()
    {
        Receive<ChannelEvent>(OnRemoteEvent);
        Receive<RemoteSync>(OnRemoteSync);
        Receive<RemotePeer>(OnRemotePeer);
        Receive<RemoteNodeGone>(g =>
        {
            foreach (var nick in _remote.Where(r => r.Value.Node.Equals(g.Node)).Select(r => r.Key).ToList()) _remote.Remove(nick);
            AfterLeave();
        });
    }

    /// <summary>Tells <c>cluster-link</c> about an event of this node's channel, for the other nodes (cluster mode
    /// only); the link stamps this node's address on it.</summary>
    private void Publish(MemberRef who, Outgoing message, ChannelChange change)
    {
        if (!_clustered) return;
        Link.Tell(new ChannelEvent(null, _key, _name, RemoteUserInfo.Of(who.State), WireLine.From(message), change));
    }

    private void OnRemoteEvent(ChannelEvent e)
    {
        var message = e.Line.ToOutgoing();
        var node = e.Origin!; // stamped by the origin's cluster-link
        switch (e.Change)
        {
            case MemberJoined { Op: var op, Stamp: var stamp }:
                // a founder's @ from a beaten stamp is not taken (its node takes it away when it hears of ours)
                var founder = op && Counts(stamp);
                _remote[e.Who.Nick] = new RemoteMember(node, e.Who, founder, false);
                Broadcast(message, except: null);
                Learn(stamp, founder ? [new ModeChange(true, 'o', e.Who.Nick)] : []);
                if (e.Who.Away is { } away)
                    SendToCap(new Outgoing(IrcMessage.FromSource(e.Who.Prefix, "AWAY", away), message.Time), CapCommands.AwayNotify, ImmutableHashSet<IActorRef>.Empty);
                Context.Parent.Tell(Info());
                return;
            case MemberParted or MemberQuit:
                Broadcast(message, except: null);
                _remote.Remove(e.Who.Nick);
                AfterLeave();
                return;
            case MemberKicked { Target: var target }:
                Broadcast(message, except: null);
                if (_byNick.TryGetValue(target, out var session))
                {
                    Remove(session);
                    session.Tell(new LeftEvent(_key, false));
                }
                else
                {
                    _remote.Remove(target);
                }

                AfterLeave();
                return;
            case TopicChanged { Topic: var topic }:
                _topic = string.IsNullOrEmpty(topic) ? null : topic;
                _topicSetter = e.Who.Prefix;
                _topicTime = message.Time;
                Broadcast(message, except: null);
                Context.Parent.Tell(Info());
                return;
            case ModesChanged { Changes: var changes }:
                // a beaten founder's node takes @ that this node never gave (ChannelStamp): nothing to show here
                var shown = !changes.All(c => c is { Add: false, Mode: 'o' or 'v', Arg: { } nick } && !HasStatus(nick, c.Mode));
                // the origin node checked the changes: apply them here too, so modes and ops are the same on every node
                foreach (var change in changes) ApplyRemoteMode(change);
                if (shown) Broadcast(message, except: null);
                return;
            case ChannelMessage:
                BroadcastBatched(message, except: null);
                return;
            default:
                Broadcast(message, except: null);
                return;
        }
    }

    /// <summary>Whether the member (on any node) holds @ (<paramref name="mode"/> o) or + (v).</summary>
    private bool HasStatus(string nick, char mode)
    {
        if (_byNick.TryGetValue(nick, out var session) && _members.TryGetValue(session, out var local)) return mode == 'o' ? local.Op : local.Voice;
        return _remote.TryGetValue(nick, out var remote) && (mode == 'o' ? remote.Op : remote.Voice);
    }

    private void ApplyRemoteMode(ModeChange c)
    {
        switch (c.Mode)
        {
            case 'i': _inviteOnly = c.Add; break;
            case 'm': _moderated = c.Add; break;
            case 'n': _noExternal = c.Add; break;
            case 't': _topicLocked = c.Add; break;
            case 's': _secret = c.Add; break;
            case 'p': _private = c.Add; break;
            case 'k': _channelKey = c.Add ? c.Arg : null; break;
            case 'l': _limit = c.Add && int.TryParse(c.Arg, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : null; break;
            case 'C': _noCtcp = c.Add; break;
            case 'b' or 'e' or 'I' when c.Arg is { } mask:
                var list = ListOf(c.Mode);
                var existing = list.FindIndex(b => _settings.CaseMapping.Equals(b, mask));
                if (c.Add && existing < 0) list.Add(mask);
                else if (!c.Add && existing >= 0) list.RemoveAt(existing);
                break;
            case 'o' or 'v' when c.Arg is { } nick:
                if (_byNick.TryGetValue(nick, out var session) && _members.TryGetValue(session, out var local))
                {
                    if (c.Mode == 'o') local.Op = c.Add;
                    else local.Voice = c.Add;
                }
                else if (_remote.TryGetValue(nick, out var remote))
                {
                    if (c.Mode == 'o') remote.Op = c.Add;
                    else remote.Voice = c.Add;
                }

                break;
        }
    }

    /// <summary>The modes as the other nodes are told them (with every JOIN).</summary>
    private ChannelModes CurrentModes() =>
        new(_inviteOnly, _moderated, _noExternal, _topicLocked, _secret, _private, _channelKey, _limit, _bans.ToArray())
        {
            NoCtcp = _noCtcp, Excepts = _excepts.ToArray(), InviteExcepts = _invex.ToArray(),
        };

    private void OnRemoteSync(RemoteSync s)
    {
        // A channel that exists here only as a view of other nodes (no local member yet) takes their modes: a node
        // that comes up late must not hold a +k or +i channel open. With local members, this node's modes are the
        // same already (every MODE is applied everywhere).
        if (_members.Count == 0 && s.Modes is { } modes)
        {
            (_inviteOnly, _moderated, _noExternal, _topicLocked, _secret, _private) =
                (modes.InviteOnly, modes.Moderated, modes.NoExternal, modes.TopicLocked, modes.Secret, modes.Private);
            (_channelKey, _limit, _noCtcp) = (modes.Key, modes.Limit, modes.NoCtcp);
            foreach (var (list, masks) in new[] { (_bans, modes.Bans), (_excepts, modes.Excepts), (_invex, modes.InviteExcepts) })
            {
                list.Clear();
                list.AddRange(masks);
            }

            Context.Parent.Tell(Info());
        }

        foreach (var nick in _remote.Where(r => r.Value.Node.Equals(s.Node)).Select(r => r.Key).ToList()) _remote.Remove(nick);
        var users = s.Users.ToDictionary(u => u.Nick, _settings.CaseMapping);
        var counts = Counts(s.Stamp); // statuses under a beaten stamp are not taken
        var members = s.Members.Where(m => users.ContainsKey(m.Nick) && !_byNick.ContainsKey(m.Nick)).ToList();
        foreach (var m in members) _remote[m.Nick] = new RemoteMember(s.Node, users[m.Nick], m.Op && counts, m.Voice && counts);
        Learn(s.Stamp, []); // snapshot members arrive silently (no JOIN lines), so their statuses do too
        if (_topic is null && s.Topic is not null)
        {
            _topic = s.Topic;
            _topicSetter = s.TopicSetter ?? "";
            _topicTime = DateTimeOffset.FromUnixTimeMilliseconds(s.TopicTimeMs);
        }

        AfterLeave();
    }

    private void OnRemotePeer(RemotePeer p)
    {
        var reached = p.Reached;
        var had = _remote.TryGetValue(p.Nick, out var subject) && subject.Node.Equals(p.Node);
        if (had)
        {
            foreach (var m in _members.Values)
            {
                if (reached.Contains(m.Ref.Connection)) continue;
                m.Ref.Connection.Tell(m.Variant(p.Message), ActorRefs.NoSender);
                reached = reached.Add(m.Ref.Connection);
            }

            _remote.Remove(p.Nick);
            if (p.NewNick is { } renamed) _remote[renamed] = new RemoteMember(subject!.Node, subject.Info with { Nick = renamed }, subject.Op, subject.Voice);
        }

        if (p.Remaining.Count > 0)
            p.Remaining[0].Tell(p with { Remaining = p.Remaining.Skip(1).ToArray(), Reached = reached });
        if (had && p.NewNick is null) AfterLeave();
    }
}
