using ActorNet.Chat.Protocol;
using ActorNet.Transport;

namespace ActorNet.Chat.Core;

/// <summary>What the command core asks the session actor to do. Data only; the actor carries them out in order.</summary>
public abstract record Effect;

/// <summary>Send this message to the client itself.</summary>
public sealed record Reply(IrcMessage Message) : Effect;

/// <summary>Ask the chat service; exactly one completing <see cref="ChatEvent"/> comes back, and later input waits for
/// it so that replies keep the order of the commands.</summary>
public sealed record Request(ChatRequest Body) : Effect;

/// <summary>Tell the chat service something; nothing comes back.</summary>
public sealed record Notify(ChatRequest Body) : Effect;

/// <summary>Send <c>ERROR :Text</c> and close the connection.</summary>
public sealed record CloseLink(DisconnectReason Reason, string Text) : Effect;

/// <summary>An OPER attempt failed (unknown name or wrong password): the session logs it and counts it against the
/// client's address, whose further attempts are throttled.</summary>
public sealed record OperFailed(string Name, bool UnknownName) : Effect;

/// <summary>An operator's REHASH: the session asks the node's reloader (the same one SIGHUP and <c>ctl reload</c> use)
/// and tells the operator the outcome in NOTICEs.</summary>
public sealed record RehashRequested : Effect
{
    public static readonly RehashRequested Instance = new();
}

/// <summary>The outcome of one command: the new state and the effects, in order.</summary>
public sealed record CoreResult(SessionState State, IReadOnlyList<Effect> Effects);

/// <summary>Requests from a session to the chat service (the session adds who it is). Pure data.</summary>
public abstract record ChatRequest;

/// <summary>Register with this nick (the state carries user, host and caps).</summary>
public sealed record RegisterRequest(string Nick, SessionState State) : ChatRequest;

/// <summary>NICK after registration.</summary>
public sealed record ChangeNickRequest(string NewNick) : ChatRequest;

/// <summary>JOIN one channel.</summary>
public sealed record JoinRequest(string Channel, string? Key) : ChatRequest;

/// <summary>PART one channel.</summary>
public sealed record PartRequest(string Channel, string? Reason) : ChatRequest;

/// <summary>PRIVMSG or NOTICE to one target; <paramref name="Tags"/> are the client-only (+) tags to relay.</summary>
public sealed record MessageRequest(string Command, string Target, string Text, IReadOnlyList<KeyValuePair<string, string?>> Tags) : ChatRequest
{
    /// <summary>STATUSMSG (<c>@#chan</c>, <c>+#chan</c>): only members with at least this prefix get it; null = all.</summary>
    public char? Status { get; init; }
}

/// <summary>TOPIC query (NewTopic null) or change.</summary>
public sealed record TopicRequest(string Channel, string? NewTopic) : ChatRequest;

/// <summary>Channel MODE query (no args) or change.</summary>
public sealed record ChannelModeRequest(string Channel, IReadOnlyList<string> Args) : ChatRequest
{
    /// <summary>Arguments that name no user anywhere (filled in by the chat service, which knows every nick): a
    /// +o/+v of one of them is 401, of a user who is merely not on the channel 441.</summary>
    public IReadOnlyList<string> NoSuchNicks { get; init; } = [];
}

public sealed record KickRequest(string Channel, string Nick, string Reason) : ChatRequest;

public sealed record InviteRequest(string Nick, string Channel) : ChatRequest;

/// <summary>NAMES of one channel; <paramref name="End"/> false: no 366 (NAMES of several channels ends with one 366
/// naming them all, sent by the core after the last).</summary>
public sealed record NamesRequest(string Channel, bool End = true) : ChatRequest;

/// <summary>WHO of a mask or channel; <paramref name="Whox"/>: the WHOX fields asked for (354 replies), null: 352.</summary>
public sealed record WhoRequest(string Mask, WhoxQuery? Whox = null) : ChatRequest;

public sealed record WhoisRequest(string Nick) : ChatRequest;

/// <summary>WHOWAS of one nick (or mask); <paramref name="Count"/> &gt; 0: at most that many entries, else all kept.</summary>
public sealed record WhowasRequest(string Nick, int Count = 0) : ChatRequest;

/// <summary>LIST; null = every channel.</summary>
public sealed record ListRequest(IReadOnlyList<string>? Channels) : ChatRequest
{
    /// <summary>ELIST masks and user counts; null = none.</summary>
    public ListFilter? Filter { get; init; }
}

public sealed record LusersRequest : ChatRequest;

/// <summary>MONITOR +/S: answer 730/731 for these nicks (the list itself is in the saved state).</summary>
public sealed record MonitorStatusRequest(IReadOnlyList<string> Nicks) : ChatRequest;

public sealed record UserhostRequest(IReadOnlyList<string> Nicks) : ChatRequest;

public sealed record IsonRequest(IReadOnlyList<string> Nicks) : ChatRequest;

public sealed record KillRequest(string Nick, string Reason) : ChatRequest;

public sealed record WallopsRequest(string Text) : ChatRequest;

/// <summary>AWAY or SETNAME (the new state is saved first): <paramref name="Line"/> goes to the watchers with
/// extended-monitor and the channel peers with <paramref name="Cap"/>; then the client gets <paramref name="Reply"/>
/// (305/306, or its own SETNAME when it has the cap), so that what it sees next comes after what the others were sent.</summary>
public sealed record PresenceRequest(string Cap, IrcMessage Line, IrcMessage? Reply) : ChatRequest;

/// <summary>The client quits (QUIT): channel peers see it.</summary>
public sealed record QuitRequest(string Reason) : ChatRequest;

/// <summary>User counts for LUSERS (251–255, 265, 266).</summary>
public sealed record LusersCounts(int Users, int Invisible, int Opers, int Unknown, int Channels, int MaxUsers)
{
    /// <summary>Cluster mode: the counts of every node (251, 252, 266); null on a single node.</summary>
    public GlobalCounts? Global { get; init; }
}

/// <summary>LUSERS over a cluster: <paramref name="Servers"/> nodes (this one included), their users, invisible
/// users and operators, and the most users they had at once (as this node saw it).</summary>
public sealed record GlobalCounts(int Servers, int Users, int Invisible, int Opers, int MaxUsers);

/// <summary>What the chat service answers a session. <see cref="Completes"/>: it ends one <see cref="Request"/>.</summary>
public abstract record ChatEvent
{
    public virtual bool Completes => true;
}

/// <summary>The request is done; whatever the client needed to see has been sent to its connection.</summary>
public sealed record Completed : ChatEvent
{
    public static readonly Completed Instance = new();
}

/// <summary>The request is done; send these replies to the client.</summary>
public sealed record RepliesEvent(IReadOnlyList<IrcMessage> Messages) : ChatEvent;

/// <summary>The nick is registered: welcome the client.</summary>
public sealed record RegisteredEvent(LusersCounts Counts, DateTimeOffset At) : ChatEvent;

/// <summary>The nick asked for (at registration or with NICK) is taken (433), or could not be decided now (437:
/// <paramref name="Unavailable"/>, the cluster's nick registry did not answer in time).</summary>
public sealed record NickInUseEvent(string Nick, bool Unavailable = false) : ChatEvent;

/// <summary>The nick change went through (the NICK line has already been sent to the client and its peers).</summary>
public sealed record NickChangedEvent(string NewNick) : ChatEvent;

/// <summary>The client is now on the channel (folded name).</summary>
public sealed record JoinedEvent(string Channel) : ChatEvent;

/// <summary>The client left the channel (PART: completes; KICK: does not).</summary>
public sealed record LeftEvent(string Channel, bool ByRequest) : ChatEvent
{
    public override bool Completes => ByRequest;
}

/// <summary>The client was invited to the channel <paramref name="Name"/> (kept for INVITE without parameters, 336).</summary>
public sealed record InvitedEvent(string Name) : ChatEvent
{
    public override bool Completes => false;
}

/// <summary>Counts for LUSERS.</summary>
public sealed record LusersEvent(LusersCounts Counts) : ChatEvent;
