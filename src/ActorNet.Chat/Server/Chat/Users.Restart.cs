using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// A crash of <c>chat/users</c> loses no user: the failing instance hands its directory (users, nicks, WHOWAS, the
/// counts, the remote directory) to its successor, which rebuilds the MONITOR index from the users' saved states
/// and handles the requests queued meanwhile with it. Nicks
/// therefore stay unique across the crash (a colliding NICK still gets 433), sessions keep their ref to this actor,
/// channels keep their members, and in cluster mode the nick registry's entries stay right: the claimants are the same
/// sessions, so nothing is left locked or claimed twice. The sessions watched stay watched (watches belong to the
/// actor, not to the instance).
/// </summary>
public sealed partial class UsersActor
{
    private sealed record Directory(
        Dictionary<Akka.Actor.IActorRef, User> Users,
        Dictionary<string, Akka.Actor.IActorRef> Nicks,
        LinkedList<WhowasEntry> Whowas,
        Tally Tally,
        int MaxUsers,
        int ChannelCount,
        Akka.Actor.Address SelfNode,
        Dictionary<string, RemoteUser> RemoteUsers,
        Dictionary<Akka.Actor.Address, string> NodeNames);

    protected override object HandOver() =>
        new Directory(_users, _nicks, _whowas, _tally, _maxUsers, _channelCount, _selfNode, _remoteUsers, _nodeNames);

    protected override void TakeOver(object state)
    {
        var d = (Directory)state;
        (_users, _nicks, _whowas, _tally, _maxUsers, _channelCount) = (d.Users, d.Nicks, d.Whowas, d.Tally, d.MaxUsers, d.ChannelCount);
        (_selfNode, _remoteUsers, _nodeNames) = (d.SelfNode, d.RemoteUsers, d.NodeNames);
        // The MONITOR index is not handed over but rebuilt from its owner, the sessions' saved states.
        foreach (var (session, user) in _users) IndexMonitors(session, null, user.State.Monitored);
        Context.GetLogger().Warning("chat: users restarted; {Users} users and {Nicks} nicks carried over", _users.Count, _nicks.Count);
    }
}
