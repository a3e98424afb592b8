using ActorNet.Chat.Core;
using ActorNet.Chat.Server;
using Akka.Actor;
using Akka.IO;

namespace ActorNet.Chat.Cluster;

// The chat protocol between cluster members, all in this file (and Protocol.Nicks.cs for the nick registry):
// every record that crosses nodes implements IChatClusterMessage, which is bound to ChatProtocolSerializer in the
// reference config (a test fails for any type here without that binding). Records are immutable and hold strings,
// numbers, node addresses and bytes only; a node is its Akka Address, never a string, and `null` (not "") means
// "this node, not stamped yet". One record (or one change type) per event kind: nothing is switched on strings.

/// <summary>Marks a message that crosses nodes: it must have a manifest in <see cref="ChatProtocolSerializer"/>.</summary>
public interface IChatClusterMessage;

/// <summary>An event of one node for the others' chat services, sent alone or in an <see cref="EventBatch"/>.</summary>
public interface IPeerEvent : IChatClusterMessage
{
    /// <summary>At most what it costs on the wire, inside a batch or alone (<see cref="WireSize"/>: the batch's size bound).</summary>
    int MaxWireBytes { get; }
}

/// <summary>Events of <paramref name="Origin"/> in the order they happened there (each with that origin), sent
/// as one remote message.</summary>
public sealed record EventBatch(Address Origin, IPeerEvent[] Events) : IChatClusterMessage
{
    public bool Equals(EventBatch? other) => other is not null && Origin.Equals(other.Origin) && Events.SequenceEqual(other.Events);

    public override int GetHashCode() => HashCode.Combine(Origin, Events.Length);
}

/// <summary>
/// One IRC line in transit, formatted once on its origin node: <paramref name="Body"/> is the line without tags and
/// CRLF (the very bytes that node's plain clients got), <paramref name="TimeMs"/> its server-time and
/// <paramref name="MsgId"/> its msgid, so clients on every node see the same id. Receivers add the tags their
/// clients ask for in front of the body, never re-format it.
/// </summary>
public sealed record WireLine(ByteString Body, long TimeMs, string? MsgId)
{
    /// <summary>The wire form of a message about to be sent locally (its plain encoding, shared with local members).</summary>
    public static WireLine From(Outgoing o) => new(o.Plain, o.Time.ToUnixTimeMilliseconds(), o.MsgId);

    /// <summary>The message again, for the local recipients.</summary>
    public Outgoing ToOutgoing() => Outgoing.FromWire(Body, DateTimeOffset.FromUnixTimeMilliseconds(TimeMs), MsgId);

    public bool Equals(WireLine? other) =>
        other is not null && TimeMs == other.TimeMs && MsgId == other.MsgId && Body.Equals(other.Body);

    public override int GetHashCode() => HashCode.Combine(TimeMs, MsgId, Body.Count);
}

/// <summary>What other nodes know of a user on some node (<paramref name="Invisible"/>: user mode +i, for WHO and LUSERS).</summary>
public sealed record RemoteUserInfo(string Nick, string? User, string Host, string? RealName, string? Away, bool Oper, bool Invisible = false)
{
    public string Prefix => $"{Nick}!{User}@{Host}";

    public static RemoteUserInfo Of(SessionState s) => new(s.NickOrStar, s.User, s.Host, s.RealName, s.Away, s.Oper, s.Invisible);
}

/// <summary>A member of a channel in a <see cref="NodeSnapshot"/>.</summary>
public sealed record ChannelMemberInfo(string Nick, bool Op, bool Voice);

/// <summary>One channel as its node sees it (its local members, with their prefixes). <paramref name="TopicSetter"/>
/// is null when the setter is not known; <paramref name="Modes"/> and <paramref name="Stamp"/> null when the sender did
/// not say (older node).</summary>
public sealed record ChannelSnapshot(string Key, string Name, string? Topic, string? TopicSetter, long TopicTimeMs, ChannelMemberInfo[] Members,
    ChannelModes? Modes = null, ChannelStamp? Stamp = null);

/// <summary>Everything a node's chat service holds locally: users and the channels they are on. Replaces what the
/// receiver knew of that node (sent when a member comes up, and on request).</summary>
public sealed record NodeSnapshot(Address Origin, string NodeName, RemoteUserInfo[] Users, ChannelSnapshot[] Channels) : IChatClusterMessage;

/// <summary>One of the parts a <see cref="NodeSnapshot"/> too large for one Akka.Remote frame is sent in
/// (<see cref="SnapshotParts"/>): the receiver collects parts <paramref name="Index"/> 0, 1, ... of one
/// <paramref name="Id"/> from one origin and applies the whole snapshot once the <paramref name="Last"/> one is in. A
/// channel whose members do not fit one part is in several parts, each with some of its members. An older node
/// refuses the manifest, as it would any newer message (it learns that node's users from its events only).</summary>
public sealed record NodeSnapshotPart(long Id, int Index, bool Last, NodeSnapshot Content) : IChatClusterMessage;

/// <summary>Asks a node's chat service for its <see cref="NodeSnapshot"/> (and to send its events from now on).</summary>
public sealed record SnapshotRequest(Address Origin) : IChatClusterMessage;

/// <summary>
/// One channel event on its origin node, already checked there: every other node delivers <paramref name="Line"/>
/// to its local members of the channel and applies <paramref name="Change"/> to its view of the channel.
/// <paramref name="Who"/> is the user who caused it; <paramref name="Origin"/> is null until this node's
/// <c>cluster-link</c> stamps its own address on it.
/// </summary>
public sealed record ChannelEvent(Address? Origin, string Key, string Name, RemoteUserInfo Who, WireLine Line, ChannelChange Change) : IPeerEvent
{
    public int MaxWireBytes => 8 + WireSize.Of(Origin) + WireSize.Of(Key) + WireSize.Of(Name) + WireSize.Of(Who) + WireSize.Of(Line) + WireSize.Of(Change);
}

/// <summary>What a <see cref="ChannelEvent"/> did to the channel: one sealed record per kind.</summary>
public abstract record ChannelChange;

/// <summary>JOIN: the user is a member now (<paramref name="Op"/>: with @, the channel's first member).
/// <paramref name="Modes"/> are the channel's modes on the origin node at that moment: its <c>cluster-link</c>
/// keeps them (and every MODE after) for the snapshot a node that comes up later gets. <paramref name="Stamp"/> is
/// the channel's creation stamp as the origin node knows it (null from an older node).</summary>
public sealed record MemberJoined(bool Op, ChannelModes Modes, ChannelStamp? Stamp = null) : ChannelChange;

/// <summary>
/// A channel's creation stamp, IRC's channel timestamp (TS) with a tie-break: when its first member joined
/// (<paramref name="CreatedTicks"/>, UTC ticks on that node) and on which node. Each node holds its own copy of a
/// channel, so two first joins at the same moment on two nodes make two founders; every node keeps the stamp that
/// <see cref="Precedes"/> all others it has heard of, and a node whose own stamp loses takes @ and + away from its
/// local members (MODE -o/-v, as IRC servers do on a TS collision), while statuses that come with a losing stamp
/// are not taken: exactly one founder op is left, the same on every node.
/// </summary>
public sealed record ChannelStamp(long CreatedTicks, Address Node)
{
    /// <summary>The rule: the older creation wins; at the same tick, the node with the lower address (ordinal).</summary>
    public bool Precedes(ChannelStamp other) =>
        CreatedTicks != other.CreatedTicks ? CreatedTicks < other.CreatedTicks : string.CompareOrdinal(Node.ToString(), other.Node.ToString()) < 0;

    /// <summary>Whether a member with <paramref name="theirs"/> keeps its statuses next to a channel stamped
    /// <paramref name="mine"/>: unless theirs is beaten (no stamp on either side: an older node, as before).</summary>
    public static bool Counts(ChannelStamp? theirs, ChannelStamp? mine) => theirs is null || mine is null || !mine.Precedes(theirs);
}

/// <summary>A channel's modes (+i +m +n +t +s +p, the key, the limit and the ban masks; +C and the +e / +I masks,
/// added later, are init properties so that the positional shape stays).</summary>
public sealed record ChannelModes(bool InviteOnly, bool Moderated, bool NoExternal, bool TopicLocked, bool Secret, bool Private,
    string? Key, int? Limit, string[] Bans)
{
    /// <summary>A new channel's modes (+nt).</summary>
    public static ChannelModes Default { get; } = new(false, false, true, true, false, false, null, null, []);

    /// <summary>+C: CTCP (other than ACTION) to the channel is refused.</summary>
    public bool NoCtcp { get; init; }

    /// <summary>+e: ban exception masks.</summary>
    public string[] Excepts { get; init; } = [];

    /// <summary>+I: invite exception masks.</summary>
    public string[] InviteExcepts { get; init; } = [];

    public bool Equals(ChannelModes? other) =>
        other is not null && (InviteOnly, Moderated, NoExternal, TopicLocked, Secret, Private, Key, Limit, NoCtcp)
        == (other.InviteOnly, other.Moderated, other.NoExternal, other.TopicLocked, other.Secret, other.Private, other.Key, other.Limit, other.NoCtcp)
        && Bans.SequenceEqual(other.Bans) && Excepts.SequenceEqual(other.Excepts) && InviteExcepts.SequenceEqual(other.InviteExcepts);

    public override int GetHashCode() => HashCode.Combine(InviteOnly, Moderated, Key, Limit, Bans.Length);

    /// <summary>These modes after one change (o/v are members' prefixes, not modes: unchanged).</summary>
    public ChannelModes With(ModeChange c, IEqualityComparer<string> casemap) => c.Mode switch
    {
        'i' => this with { InviteOnly = c.Add },
        'm' => this with { Moderated = c.Add },
        'n' => this with { NoExternal = c.Add },
        't' => this with { TopicLocked = c.Add },
        's' => this with { Secret = c.Add },
        'p' => this with { Private = c.Add },
        'k' => this with { Key = c.Add ? c.Arg : null },
        'l' => this with
        {
            Limit = c.Add && int.TryParse(c.Arg, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : null,
        },
        'C' => this with { NoCtcp = c.Add },
        'b' when c.Arg is { } mask => this with { Bans = WithMask(Bans, c.Add, mask, casemap) },
        'e' when c.Arg is { } mask => this with { Excepts = WithMask(Excepts, c.Add, mask, casemap) },
        'I' when c.Arg is { } mask => this with { InviteExcepts = WithMask(InviteExcepts, c.Add, mask, casemap) },
        _ => this,
    };

    private static string[] WithMask(string[] list, bool add, string mask, IEqualityComparer<string> casemap) =>
        add ? list.Contains(mask, casemap) ? list : [.. list, mask] : list.Where(b => !casemap.Equals(b, mask)).ToArray();
}

/// <summary>PART: the user left.</summary>
public sealed record MemberParted : ChannelChange
{
    public static readonly MemberParted Instance = new();
}

/// <summary>QUIT seen by this channel (a local member removed by the server, e.g. killed).</summary>
public sealed record MemberQuit : ChannelChange
{
    public static readonly MemberQuit Instance = new();
}

/// <summary>KICK of <paramref name="Target"/> (a member on any node).</summary>
public sealed record MemberKicked(string Target) : ChannelChange;

/// <summary>PRIVMSG or NOTICE to the channel: only the line, no change.</summary>
public sealed record ChannelMessage(MessageKind Kind) : ChannelChange;

/// <summary>The command of a message to a channel or a nick.</summary>
public enum MessageKind
{
    Privmsg = 1,
    Notice = 2,
}

/// <summary>TOPIC: the topic is <paramref name="Topic"/> now (null: cleared), set by the event's user.</summary>
public sealed record TopicChanged(string? Topic) : ChannelChange;

/// <summary>MODE: these changes were applied on the origin node (and are applied the same way everywhere).</summary>
public sealed record ModesChanged(ModeChange[] Changes) : ChannelChange
{
    public bool Equals(ModesChanged? other) => other is not null && Changes.SequenceEqual(other.Changes);

    public override int GetHashCode() => Changes.Length;
}

/// <summary>A user of the origin node did something the other nodes must know: <paramref name="Change"/>.</summary>
public sealed record UserEvent(Address Origin, string Nick, UserChange Change) : IPeerEvent
{
    public int MaxWireBytes => 8 + WireSize.Of(Origin) + WireSize.Of(Nick) + WireSize.Of(Change);
}

/// <summary>What a <see cref="UserEvent"/> says: one sealed record per kind.</summary>
public abstract record UserChange;

/// <summary>The user registered.</summary>
public sealed record UserRegistered(RemoteUserInfo Info) : UserChange;

/// <summary>The user's away message or operator status changed.</summary>
public sealed record UserUpdated(RemoteUserInfo Info) : UserChange;

/// <summary>NICK: every channel peer on the other nodes sees <paramref name="Line"/> once.</summary>
public sealed record UserRenamed(string NewNick, WireLine Line) : UserChange;

/// <summary>QUIT: every channel peer on the other nodes sees <paramref name="Line"/> once.</summary>
public sealed record UserQuit(WireLine Line) : UserChange;

/// <summary>A PRIVMSG/NOTICE from a user of <paramref name="Origin"/> to a user of the receiving node, answered
/// with <see cref="PrivateLineResult"/> (same <paramref name="Id"/>): the sender's node tells its user when the line
/// could not be delivered (target gone on the way, node unreachable or removed before the answer).</summary>
public sealed record PrivateLine(Address Origin, long Id, string TargetNick, MessageKind Kind, WireLine Line) : IChatClusterMessage;

/// <summary>The answer to a <see cref="PrivateLine"/> (or a <see cref="RemoteKill"/>): delivered to its target's connection, or not (no such nick).</summary>
public sealed record PrivateLineResult(long Id, bool Delivered) : IChatClusterMessage;

/// <summary>INVITE of a user of the receiving node (<paramref name="TargetNick"/>) to a channel, already checked on
/// the inviter's node (<paramref name="Origin"/>), which answered the inviter 341: the receiver remembers the
/// invitation in its copy of the channel (where the target's JOIN is checked) and gives the target
/// <paramref name="Line"/>, the INVITE line as the origin formatted it.</summary>
public sealed record RemoteInvite(Address Origin, string TargetNick, string ChannelKey, string ChannelName, WireLine Line) : IChatClusterMessage;

/// <summary>KILL of a user of the receiving node by an IRC operator of <paramref name="Origin"/> (checked there):
/// the receiver disconnects <paramref name="TargetNick"/> as it would for a local KILL, and every node sees its QUIT
/// with the reason. Answered like a <see cref="PrivateLine"/>, with a <see cref="PrivateLineResult"/> of the same
/// <paramref name="Id"/> (not delivered: no such nick there any more), so the operator learns of a KILL that did nothing.</summary>
public sealed record RemoteKill(Address Origin, long Id, string TargetNick, string Killer, string Reason) : IChatClusterMessage;
