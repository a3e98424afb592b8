using ActorNet.Chat.Protocol;
using ActorNet.Chat.Server;

namespace ActorNet.Chat.Cluster;

// Everything in this file crosses the network between the chat services of cluster members: plain records of
// strings, booleans, numbers and arrays (no ByteString, no actor-local objects). Node = the member's Akka address.

/// <summary>One IRC message in transit (no client tags): rebuilt and encoded once on the receiving node. The msgid
/// travels with it, so clients on every node see the same id for the same message.</summary>
public sealed record WireLine(string? Source, string Command, string[] Params, long TimeMs, string? MsgId = null)
{
    /// <summary>The wire form of a message about to be sent locally.</summary>
    public static WireLine From(Outgoing o) => new(o.Message.Source, o.Message.Command, o.Message.Params.ToArray(), o.Time.ToUnixTimeMilliseconds(), o.MsgId);

    /// <summary>The message again, ready to encode for the local recipients.</summary>
    public Outgoing ToOutgoing() => new(new IrcMessage(Source, Command, Params), DateTimeOffset.FromUnixTimeMilliseconds(TimeMs), msgId: MsgId);
}

/// <summary>What other nodes know of a user on some node.</summary>
public sealed record RemoteUserInfo(string Nick, string? User, string Host, string? RealName, string? Away, bool Oper)
{
    public string Prefix => $"{Nick}!{User}@{Host}";
}

/// <summary>A member of a channel in a <see cref="NodeSnapshot"/>.</summary>
public sealed record ChannelMemberInfo(string Nick, bool Op, bool Voice);

/// <summary>One channel as its node sees it (its local members only).</summary>
public sealed record ChannelSnapshot(string Key, string Name, string? Topic, string TopicSetter, long TopicTimeMs, ChannelMemberInfo[] Members);

/// <summary>Everything a node's chat service holds locally: users and the channels they are on. Replaces what the
/// receiver knew of that node (sent when a member comes up, and on request).</summary>
public sealed record NodeSnapshot(string Node, string NodeName, RemoteUserInfo[] Users, ChannelSnapshot[] Channels);

/// <summary>Asks a node's chat service for its <see cref="NodeSnapshot"/> (and to send its events from now on).</summary>
public sealed record SnapshotRequest(string Node);

/// <summary>
/// One channel event on its origin node (kinds JOIN, PART, KICK, QUIT, PRIVMSG, NOTICE, TOPIC, MODE), already
/// checked there: every other node delivers <paramref name="Line"/> to its local members of the channel and updates
/// its view of the remote members (JOIN adds <paramref name="Who"/>; PART/QUIT remove the sender; KICK removes
/// <paramref name="Target"/>; TOPIC sets <paramref name="Topic"/>).
/// </summary>
public sealed record ChannelEvent(string Node, string Key, string Name, string Kind, WireLine Line, RemoteUserInfo? Who, bool Op, string? Target, string? Topic);

/// <summary>
/// A user of the origin node: HELLO (registered: <paramref name="Info"/>), UPDATE (away etc.: <paramref name="Info"/>),
/// NICK (<paramref name="NewNick"/>) or QUIT; for NICK and QUIT every channel peer on the other nodes sees
/// <paramref name="Line"/> once.
/// </summary>
public sealed record UserEvent(string Node, string Kind, string Nick, RemoteUserInfo? Info, string? NewNick, WireLine? Line);

/// <summary>A PRIVMSG/NOTICE to a user of the receiving node.</summary>
public sealed record PrivateLine(string Node, string TargetNick, WireLine Line);
