using ActorNet.Chat.Core;
using Akka.Actor;

namespace ActorNet.Chat.Server;

/// <summary>A request from a session, with who sent it (its session actor and connection actor).</summary>
public sealed record FromSession(IActorRef Session, IActorRef Connection, ChatRequest Request);

/// <summary>The session's state changed: the service keeps the latest copy (for queries: the session itself is the truth).</summary>
/// <param name="Seq">the session's count of saves: a session's first saves go through the chat service and its
/// later ones straight to <c>users</c>, so an early save can arrive after a later one; <c>users</c> keeps the highest
/// (0 = unnumbered, always taken)</param>
public sealed record SaveState(IActorRef Session, IActorRef Connection, SessionState State, long Seq = 0);

/// <summary>A member of a channel as the channel sees it: refs and the latest state snapshot.</summary>
public sealed record MemberRef(IActorRef Session, IActorRef Connection, SessionState State)
{
    public string Nick => State.NickOrStar;
}

/// <summary>A request forwarded by the server to a channel actor; <paramref name="Target"/> is a resolved user (INVITE).</summary>
public sealed record ToChannel(FromSession Origin, MemberRef From, MemberRef? Target = null)
{
    /// <summary>INVITE of a user of another node (cluster mode), instead of <see cref="Target"/>.</summary>
    public RemoteInvitee? RemoteTarget { get; init; }
}

/// <summary>The user of another node an INVITE is for: the channel checks the INVITE and sends its line to
/// <paramref name="Users"/> (that node's <c>chat/users</c>) as a <see cref="Cluster.RemoteInvite"/> from <paramref name="Self"/>.</summary>
public sealed record RemoteInvitee(Cluster.RemoteUserInfo Info, ICanTell Users, Address Self);

/// <summary>A member's state changed (caps, away, modes): the channel updates its snapshot.</summary>
public sealed record MemberUpdated(MemberRef Member);

/// <summary>
/// NICK or QUIT of one user seen once by everyone sharing a channel with it: the message travels channel to channel,
/// each sends it to members not reached yet, applies the change and passes it on. The last one tells the subject's
/// session <paramref name="Final"/> (if any) and hands <paramref name="Announce"/> (cluster mode: the event for the
/// other nodes) to the server: after every channel of the subject has sent on what it had before, so the other nodes
/// see the subject's channel messages and then its NICK/QUIT, in order.
/// </summary>
public sealed record PeerBroadcast(
    Outgoing Message,
    IActorRef Subject,
    MemberRef? Renamed,
    IReadOnlyList<IActorRef> Remaining,
    System.Collections.Immutable.ImmutableHashSet<IActorRef> Reached,
    ChatEvent? Final,
    object? Announce = null);

/// <summary>Channel → server: its summary changed (members, topic) or a member joined/left.</summary>
public sealed record ChannelInfo(string Key, string Name, int Members, string? Topic, bool Secret = false);

/// <summary>Channel → server: a session joined (true) or left (false).</summary>
public sealed record Membership(string Key, IActorRef Session, bool Joined, string Prefix = "");

/// <summary>Channel → server: the last member left; the channel bounces whatever else it gets back to the server.</summary>
public sealed record ChannelEmpty(string Key);

/// <summary>Server → channel: remove this member (its session is gone) and tell the others with this QUIT.</summary>
public sealed record RemoveMember(IActorRef Session, string Reason);

/// <summary>
/// AWAY (away-notify) or SETNAME (setname) of a user — local <paramref name="Subject"/>, or <paramref name="RemoteNick"/>
/// of another node — for the channel peers that negotiated <paramref name="Cap"/>: passed channel to channel like
/// <see cref="PeerBroadcast"/>, each client reached once (<paramref name="Reached"/> starts with the subject and the
/// watchers extended-monitor already told).
/// </summary>
public sealed record CapNotice(
    Outgoing Message,
    string Cap,
    IActorRef? Subject,
    string? RemoteNick,
    IReadOnlyList<IActorRef> Remaining,
    System.Collections.Immutable.ImmutableHashSet<IActorRef> Reached)
{
    /// <summary>Told to <see cref="Subject"/> at the end of the chain (its reply comes after the others' notices).</summary>
    public ChatEvent? Final { get; init; }
}
