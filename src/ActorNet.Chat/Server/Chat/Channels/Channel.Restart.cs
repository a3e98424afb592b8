using ActorNet.Supervision;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// A crash of a channel loses nothing its members can see: the failing instance first sends the batch it holds, then
/// hands members (with their @/+), modes, key, limit, bans, invitations, topic and creation time (and stamp) to its successor
/// (<see cref="CarryOver"/>: no message is handled in between). Members keep the channel's ref (a restart is not a
/// stop: nobody sees Terminated), so NAMES, WHO, TOPIC and MODE answer as before and no member is lost or left
/// behind as a ghost.
/// </summary>
public sealed partial class ChannelActor
{
    /// <summary>The predecessor's state; its collections change owner (the predecessor is gone).</summary>
    private sealed record Carried(
        Dictionary<IActorRef, Member> Members,
        Dictionary<string, IActorRef> ByNick,
        List<string> Bans,
        (List<string> Excepts, List<string> Invex) Exceptions,
        HashSet<string> Invited,
        Queue<string> InviteOrder,
        Dictionary<string, RemoteMember> Remote,
        (bool InviteOnly, bool Moderated, bool NoExternal, bool TopicLocked, bool Secret, bool Private, bool NoCtcp) Modes,
        string? Key,
        int? Limit,
        (string? Text, string Setter, DateTimeOffset Time) Topic,
        (DateTimeOffset Created, ActorNet.Chat.Cluster.ChannelStamp? Stamp) Creation,
        bool Empty);

    protected override void PreRestart(Exception reason, object message)
    {
        FlushPending();
        CarryOver.Get(Context.System).Hand(Self, new Carried(_members, _byNick, _bans, (_excepts, _invex), _invited, _inviteOrder, _remote,
            (_inviteOnly, _moderated, _noExternal, _topicLocked, _secret, _private, _noCtcp), _channelKey, _limit,
            (_topic, _topicSetter, _topicTime), (_created, _stamp), _empty));
    }

    protected override void PostRestart(Exception reason)
    {
        if (!CarryOver.Get(Context.System).TryTake<Carried>(Self, out var h)) return;
        (_members, _byNick, _bans, _invited, _inviteOrder, _remote) = (h.Members, h.ByNick, h.Bans, h.Invited, h.InviteOrder, h.Remote);
        (_excepts, _invex) = h.Exceptions;
        (_inviteOnly, _moderated, _noExternal, _topicLocked, _secret, _private, _noCtcp) = h.Modes;
        (_channelKey, _limit, _empty) = (h.Key, h.Limit, h.Empty);
        (_created, _stamp) = h.Creation;
        (_topic, _topicSetter, _topicTime) = h.Topic;
        Context.GetLogger().Warning("chat: channel {Channel} restarted; {Members} members carried over", _name, TotalMembers);
        if (_empty) Become(Closing);
    }
}
