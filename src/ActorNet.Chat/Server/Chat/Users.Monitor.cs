using System.Collections.Immutable;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using Akka.Actor;

namespace ActorNet.Chat.Server;

/// <summary>
/// IRCv3 MONITOR, extended-monitor, away-notify and setname, the users side. Each session's monitor list is in its
/// saved state; this actor indexes it (folded nick → watching sessions) and tells watchers when a nick comes online
/// (registration, NICK to it, a user of another node appearing) or goes offline (QUIT, NICK away from it, a node
/// lost). AWAY and SETNAME changes seen in a saved state go to watchers with extended-monitor and the matching cap,
/// then along the subject's channels to the peers with the cap (<see cref="CapNotice"/>), each client once.
/// Cluster-wide: users of other nodes come and go through the same paths (their HELLO, NICK, QUIT and UPDATE events).
/// </summary>
public sealed partial class UsersActor
{
    private readonly Dictionary<string, HashSet<IActorRef>> _watchers = new(StringComparer.Ordinal);

    /// <summary>Keeps the index in step with one session's monitor list (<paramref name="after"/> null: it is gone).</summary>
    private void IndexMonitors(IActorRef session, ImmutableSortedDictionary<string, string>? before, ImmutableSortedDictionary<string, string>? after)
    {
        if (ReferenceEquals(before, after)) return;
        if (before is not null)
            foreach (var key in before.Keys)
            {
                if (after?.ContainsKey(key) == true || !_watchers.TryGetValue(key, out var set)) continue;
                set.Remove(session);
                if (set.Count == 0) _watchers.Remove(key);
            }

        if (after is not null)
            foreach (var key in after.Keys)
            {
                if (before?.ContainsKey(key) == true) continue;
                if (!_watchers.TryGetValue(key, out var set)) _watchers[key] = set = new HashSet<IActorRef>();
                set.Add(session);
            }
    }

    /// <summary>The registered watchers of a nick.</summary>
    private IEnumerable<User> WatchersOf(string nick)
    {
        if (!_watchers.TryGetValue(Casemap.Fold(nick), out var set)) yield break;
        foreach (var session in set)
            if (_users.TryGetValue(session, out var u) && u.State.Registered) yield return u;
    }

    private void TellWatchers(string nick, string code, string target)
    {
        foreach (var w in WatchersOf(nick))
            w.Connection.Tell(new Transport.Connection.Send(Outgoing.Encode(Replies.Numeric(Server, code, w.State.NickOrStar, target))), ActorRefs.NoSender);
    }

    private void MonitorOnline(string nick, string prefix) => TellWatchers(nick, Numerics.RPL_MONONLINE, prefix);

    private void MonitorOffline(string nick) => TellWatchers(nick, Numerics.RPL_MONOFFLINE, nick);

    /// <summary>A nick change: offline for the old nick, online for the new (nothing for a change of case only).</summary>
    private void MonitorRenamed(string oldNick, string newNick, string newPrefix)
    {
        if (Casemap.Equals(oldNick, newNick)) return;
        MonitorOffline(oldNick);
        MonitorOnline(newNick, newPrefix);
    }

    /// <summary>MONITOR + / S: 730 for the nicks online here or on another node, 731 for the rest.</summary>
    private IEnumerable<IrcMessage> MonitorStatus(string me, IReadOnlyList<string> nicks)
    {
        var online = new List<string>();
        var offline = new List<string>();
        foreach (var nick in nicks)
        {
            if (TryFind(nick, out var local)) online.Add(local.State.Prefix);
            else if (_remoteUsers.TryGetValue(nick, out var remote)) online.Add(remote.Info.Prefix);
            else offline.Add(nick);
        }

        return MonitorCommands.Status(Server, me, online, offline);
    }

    /// <summary>AWAY / SETNAME of a local user (<see cref="PresenceRequest"/>) to whoever asked for it; the user's
    /// session gets <paramref name="final"/> once every channel has sent it on.</summary>
    private void Notify(User user, IrcMessage line, string cap, ChatEvent final)
    {
        var message = new Outgoing(line, _time.GetUtcNow());
        var reached = NotifyWatchers(user.State.NickOrStar, message, cap, ImmutableHashSet.Create(user.Connection));
        // The channels as the session knows them (it learnt each JOIN before running its next command), not
        // user.Channels: the channel's Membership comes through channels and may still be on its way here.
        var channels = user.State.Channels.Union(user.Channels.Keys);
        if (channels.Count > 0)
            Tree.Channels.Tell(new ChannelsActor.Chain(channels.ToArray(), new CapNotice(message, cap, user.Session, null, [], reached) { Final = final }));
        else
            user.Session.Tell(final);
    }

    /// <summary>extended-monitor: the watchers of <paramref name="nick"/> that also negotiated <paramref name="cap"/>.</summary>
    private ImmutableHashSet<IActorRef> NotifyWatchers(string nick, Outgoing message, string cap, ImmutableHashSet<IActorRef> reached)
    {
        foreach (var w in WatchersOf(nick))
        {
            if (!w.State.Has(CapCommands.ExtendedMonitor) || !w.State.Has(cap) || reached.Contains(w.Connection)) continue;
            w.Connection.Tell(message.For(w.State.Caps), ActorRefs.NoSender);
            reached = reached.Add(w.Connection);
        }

        return reached;
    }

    /// <summary>A user of another node changed its away message or realname (its UPDATE): the same notices here.</summary>
    private void AnnounceRemotePresence(RemoteUser user, Cluster.RemoteUserInfo before)
    {
        var after = user.Info;
        if (before.Away != after.Away)
            NotifyRemote(user, after.Away is { } text ? IrcMessage.FromSource(after.Prefix, "AWAY", text) : IrcMessage.FromSource(after.Prefix, "AWAY"), CapCommands.AwayNotify);
        if (before.RealName != after.RealName && after.RealName is { } name)
            NotifyRemote(user, IrcMessage.FromSource(after.Prefix, "SETNAME", name), CapCommands.Setname);
    }

    private void NotifyRemote(RemoteUser user, IrcMessage line, string cap)
    {
        var message = new Outgoing(line, _time.GetUtcNow());
        var reached = NotifyWatchers(user.Info.Nick, message, cap, ImmutableHashSet<IActorRef>.Empty);
        if (user.Channels.Count > 0)
            Tree.Channels.Tell(new ChannelsActor.Chain(user.Channels.Keys.ToArray(), new CapNotice(message, cap, null, user.Info.Nick, [], reached)));
    }
}
