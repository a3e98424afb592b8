using System.Collections.Immutable;
using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Settings;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// <c>chat/users</c>: the directory of users (the latest <see cref="SessionState"/> each session saved, which is also
/// what a restarted session recovers), this node's nicks (uniqueness under the declared casemapping), WHOWAS, the
/// queries that span users (WHOIS, WHO, LUSERS, ...) and private messages. Requests for a channel go on to
/// <c>channels</c>. It watches sessions: a session that stops without QUIT is seen quitting by its peers.
/// </summary>
public sealed partial class UsersActor : ChatChild
{
    /// <summary>channels → users: a local session joined (true) or left (false) the channel <paramref name="Name"/>;
    /// the sender is the channel actor.</summary>
    public sealed record MembershipChanged(Membership Membership, string Name);

    /// <summary>channels → users: how many channels there are (for LUSERS).</summary>
    public sealed record ChannelCount(int Count);

    /// <summary>LUSERS counts kept up to date as users' states change (not recounted per registration: with
    /// 10,000 users that was O(n) work and a list per new user).</summary>
    private sealed class Tally
    {
        public int Registered, Invisible, Opers;

        /// <summary>Cluster mode: the users of the other nodes known here, and the most users of every node at once.</summary>
        public int Remote, RemoteInvisible, RemoteOpers, MaxGlobal;

        public void Move(SessionState? before, SessionState? after)
        {
            if (before is { Registered: true }) Count(before, -1);
            if (after is { Registered: true }) Count(after, +1);
            MaxGlobal = Math.Max(MaxGlobal, Registered + Remote);
        }

        public void MoveRemote(RemoteUserInfo? before, RemoteUserInfo? after)
        {
            if (before is not null) CountRemote(before, -1);
            if (after is not null) CountRemote(after, +1);
            MaxGlobal = Math.Max(MaxGlobal, Registered + Remote);
        }

        private void CountRemote(RemoteUserInfo u, int delta)
        {
            Remote += delta;
            if (u.Invisible) RemoteInvisible += delta;
            if (u.Oper) RemoteOpers += delta;
        }

        private void Count(SessionState s, int delta)
        {
            Registered += delta;
            if (s.Invisible) Invisible += delta;
            if (s.Oper) Opers += delta;
        }
    }

    private sealed class User
    {
        private readonly Tally _tally;
        private SessionState _state;

        public User(IActorRef session, IActorRef connection, SessionState state, Tally tally)
        {
            Session = session;
            Connection = connection;
            _tally = tally;
            _state = state;
            tally.Move(null, state);
        }

        public IActorRef Session { get; }
        public IActorRef Connection { get; set; }

        /// <summary>The highest SaveState.Seq taken (see <see cref="SaveState"/>).</summary>
        public long SaveSeq { get; set; }

        public SessionState State
        {
            get => _state;
            set
            {
                _tally.Move(_state, value);
                _state = value;
            }
        }

        /// <summary>The user is gone: out of the counts.</summary>
        public void Forget() => _tally.Move(_state, null);

        /// <summary>Folded channel name → display name of the channels the user is on.</summary>
        public Dictionary<string, string> Channels { get; } = new(StringComparer.Ordinal);

        /// <summary>Folded channel name → the user's highest prefix there ("@", "+" or ""), for WHOIS 319.</summary>
        public Dictionary<string, string> Prefixes { get; } = new(StringComparer.Ordinal);
        public MemberRef Ref => new(Session, Connection, State);
    }

    private sealed record WhowasEntry(SessionState State, DateTimeOffset At);

    private readonly ChatSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Dictionary<IActorRef, User> _users = new();
    private Dictionary<string, IActorRef> _nicks;
    private LinkedList<WhowasEntry> _whowas = new();
    private Tally _tally = new();
    private int _maxUsers;
    private int _channelCount;
    private readonly string _chanTypes;

    public UsersActor(ChatSettings settings, TimeProvider time)
    {
        foreach (var oper in settings.PlainTextOpers)
            _log.Warning("chat: operator {OperName} has a PLAIN-TEXT password in actornet.chat.opers (plain:...); store the hash `actornet hash-password` prints", oper);
        _settings = settings;
        _time = time;
        _chanTypes = settings.ISupport.ChanTypes;
        _nicks = new Dictionary<string, IActorRef>(settings.CaseMapping);
        _remoteUsers = new Dictionary<string, RemoteUser>(settings.CaseMapping);
    }

    public static Props Props(ChatSettings settings, TimeProvider time) => Akka.Actor.Props.Create(() => new UsersActor(settings, time));

    protected override void Running()
    {
        Receive<SaveState>(OnSave);
        Receive<FromSession>(OnRequest);
        Receive<MembershipChanged>(OnMembership);
        Receive<ChannelCount>(c => _channelCount = c.Count);
        Receive<Terminated>(t =>
        {
            Tree.Nicks?.Tell(new NicksActor.SessionGone(t.ActorRef));
            Quit(t.ActorRef, "Connection closed");
        });
        ReceiveRemote();
    }

    protected override void OnTree()
    {
        if (Tree.Clustered) StartCluster();
    }

    private string Server => _settings.ServerName;

    private CaseMapping Casemap => _settings.CaseMapping;

    private void OnSave(SaveState s)
    {
        if (!_users.TryGetValue(s.Session, out var user))
        {
            user = new User(s.Session, s.Connection, s.State, _tally);
            _users[s.Session] = user;
            Context.Watch(s.Session);
            IndexMonitors(s.Session, null, s.State.Monitored);
        }

        // A save that went the longer way (through the chat service, before the session learnt this actor) and
        // arrives after a newer one would roll the user back (a lost MONITOR list, "not registered")
        if (s.Seq != 0 && s.Seq <= user.SaveSeq) return;
        if (s.Seq != 0) user.SaveSeq = s.Seq;
        var before = user.State;
        user.State = s.State;
        user.Connection = s.Connection;
        IndexMonitors(s.Session, before.Monitored, s.State.Monitored);
        if (before.Registered && (before.Away != s.State.Away || !before.Caps.SetEquals(s.State.Caps) || before.Oper != s.State.Oper
                                  || before.Invisible != s.State.Invisible || before.RealName != s.State.RealName))
        {
            if (before.Away != s.State.Away || before.Oper != s.State.Oper || before.RealName != s.State.RealName || before.Invisible != s.State.Invisible) AnnounceUser(s.State, new UserUpdated(RemoteUserInfo.Of(s.State)));
            if (user.Channels.Count > 0) Tree.Channels.Tell(new ChannelsActor.ToEach(user.Channels.Keys.ToArray(), new MemberUpdated(user.Ref)));
        }
    }

    private void OnRequest(FromSession r)
    {
        _users.TryGetValue(r.Session, out var user);
        switch (r.Request)
        {
            case RegisterRequest reg:
                Register(r, reg);
                return;
            case QuitRequest q:
                Quit(r.Session, q.Reason);
                r.Session.Tell(Completed.Instance); // after the watchers' 731: then the session closes the link
                return;
        }

        if (user is null || !user.State.Registered)
        {
            r.Session.Tell(Completed.Instance);
            return;
        }

        var me = user.State.NickOrStar;
        switch (r.Request)
        {
            case PresenceRequest p:
                Notify(user, p.Line, p.Cap, p.Reply is { } reply ? new RepliesEvent([reply]) : Completed.Instance);
                break;
            case ChangeNickRequest n:
                ChangeNick(user, n.NewNick, r.Connection);
                break;
            case JoinRequest j:
                ToChannel(r, user, j.Channel, create: true, missing: null);
                break;
            case MessageRequest m when !IrcNames.IsChannelName(m.Target, _chanTypes):
                PrivateMessage(user, m, r.Connection);
                break;
            case MessageRequest m:
                ToChannel(r, user, m.Target, missing: m.Command is "NOTICE" or "TAGMSG" ? null : Replies.NoSuchChannel(Server, me, m.Target));
                break;
            case PartRequest p:
                ToChannel(r, user, p.Channel, missing: Replies.NoSuchChannel(Server, me, p.Channel));
                break;
            case TopicRequest t:
                ToChannel(r, user, t.Channel, missing: Replies.NoSuchChannel(Server, me, t.Channel));
                break;
            case ChannelModeRequest mode:
                var nobody = mode.Args.Skip(1).Where(a => !_nicks.ContainsKey(a) && !_remoteUsers.ContainsKey(a)).ToArray();
                ToChannel(nobody.Length == 0 ? r : r with { Request = mode with { NoSuchNicks = nobody } }, user, mode.Channel,
                    missing: Replies.NoSuchChannel(Server, me, mode.Channel));
                break;
            case KickRequest k:
                ToChannel(r, user, k.Channel, missing: Replies.NoSuchChannel(Server, me, k.Channel));
                break;
            case NamesRequest n:
                ToChannel(r, user, n.Channel, missing: n.End ? Replies.Numeric(Server, Numerics.RPL_ENDOFNAMES, me, n.Channel, "End of /NAMES list") : null);
                break;
            case WhoRequest w when IrcNames.IsChannelName(w.Mask, _chanTypes):
                ToChannel(r, user, w.Mask, missing: Replies.Numeric(Server, Numerics.RPL_ENDOFWHO, me, w.Mask, "End of /WHO list"));
                break;
            case InviteRequest i:
                Invite(r, user, i);
                break;
            case ListRequest l:
                Tree.Channels.Tell(new ChannelsActor.List(r.Session, me, l.Channels, user.Channels.Keys.ToArray()) { Filter = l.Filter });
                break;
            default:
                r.Session.Tell(new RepliesEvent(Query(user, r.Request)));
                break;
        }
    }

    /// <summary>To the channel's actor through <c>channels</c> (which creates it for a JOIN, or answers
    /// <paramref name="missing"/> when there is no such channel).</summary>
    private void ToChannel(FromSession r, User user, string channel, IrcMessage? missing, bool create = false, MemberRef? target = null) =>
        Tree.Channels.Tell(new ChannelsActor.Route(channel, new ToChannel(r, user.Ref, target), create, missing));

    private void Register(FromSession r, RegisterRequest reg)
    {
        if (LocallyTaken(reg.Nick, r.Session))
        {
            r.Session.Tell(new NickInUseEvent(reg.Nick));
            return;
        }

        if (!ClaimRemotely(r, reg.Nick, release: null)) CompleteRegister(r, reg);
    }

    private void CompleteRegister(FromSession r, RegisterRequest reg)
    {
        if (!_users.TryGetValue(r.Session, out var user))
        {
            user = new User(r.Session, r.Connection, reg.State, _tally);
            _users[r.Session] = user;
            Context.Watch(r.Session);
        }

        user.State = reg.State with { Registered = true, RegistrationPending = false, SignedOn = _time.GetUtcNow() };
        _nicks[reg.Nick] = r.Session;
        _maxUsers = Math.Max(_maxUsers, _nicks.Count);
        _log.Info("chat: {Nick} registered ({Prefix})", reg.Nick, user.State.Prefix);
        AnnounceUser(user.State, new UserRegistered(RemoteUserInfo.Of(user.State)));
        // Watchers first: their 730 is then queued at their connections before this client can see its own
        // welcome and act on it (a client that checks a watcher right after registering must find the 730 there).
        MonitorOnline(reg.Nick, user.State.Prefix);
        r.Session.Tell(new RegisteredEvent(Counts(), user.State.SignedOn));
    }

    /// <param name="replyTo">where the client's own NICK line goes: its connection, or its session while it
    /// collects a labeled response</param>
    private void ChangeNick(User user, string newNick, IActorRef replyTo)
    {
        if (LocallyTaken(newNick, user.Session))
        {
            user.Session.Tell(new NickInUseEvent(newNick));
            return;
        }

        if (!ClaimRemotely(new FromSession(user.Session, replyTo, new ChangeNickRequest(newNick)), newNick, user.State.NickOrStar))
            CompleteNickChange(user, newNick, replyTo);
    }

    private void CompleteNickChange(User user, string newNick, IActorRef replyTo)
    {
        var old = user.State;
        RememberWhowas(old);
        _nicks.Remove(old.NickOrStar);
        _nicks[newNick] = user.Session;
        user.State = old with { Nick = newNick };
        // Watchers' 731/730 before the client's own NICK line: queued at the watchers' connections first, they
        // reach the watchers before anything the client does after seeing its NICK (irctest's monitor
        // testNickChange checks the watcher right after; sent last, a descheduled turn on a loaded machine lost the race)
        MonitorRenamed(old.NickOrStar, newNick, user.State.Prefix);
        var message = new Outgoing(IrcMessage.FromSource(old.Prefix, "NICK", newNick), _time.GetUtcNow());
        replyTo.Tell(message.For(user.State.Caps), ActorRefs.NoSender);
        StartPeerBroadcast(user, message, user.Ref, new NickChangedEvent(newNick), UserAnnouncement(old, new UserRenamed(newNick, WireLine.From(message))));
    }

    /// <summary>The user leaves: peers see one QUIT each, the nick is freed. Idempotent.</summary>
    private void Quit(IActorRef session, string reason)
    {
        if (!_users.Remove(session, out var user)) return;
        user.Forget();
        Context.Unwatch(session);
        IndexMonitors(session, user.State.Monitored, null);
        if (!user.State.Registered) return;
        _nicks.Remove(user.State.NickOrStar);
        MonitorOffline(user.State.NickOrStar);
        RememberWhowas(user.State);
        _log.Info("chat: {Nick} quit ({Reason})", user.State.NickOrStar, reason);
        var message = new Outgoing(IrcMessage.FromSource(user.State.Prefix, "QUIT", reason), _time.GetUtcNow());
        ReleaseNick(user.State.NickOrStar, Claimant(session));
        StartPeerBroadcast(user, message, renamed: null, final: null, UserAnnouncement(user.State, new UserQuit(WireLine.From(message))));
    }

    /// <summary>NICK/QUIT seen once by everyone sharing a channel with the user (channels starts the chain over
    /// the user's channels; with none, <paramref name="final"/> and <paramref name="announce"/> go out at once).</summary>
    private void StartPeerBroadcast(User user, Outgoing message, MemberRef? renamed, ChatEvent? final, UserEvent? announce)
    {
        // with the channels the session knows (saved state): a JOIN's Membership may still be on its way through channels
        var channels = user.State.Channels.Union(user.Channels.Keys);
        if (channels.Count == 0)
        {
            if (final is not null) user.Session.Tell(final);
            if (announce is not null) Tree.Link?.Tell(announce);
            return;
        }

        Tree.Channels.Tell(new ChannelsActor.Chain(channels.ToArray(), new PeerBroadcast(message, user.Session, renamed, [],
            ImmutableHashSet.Create<IActorRef>(user.Connection), final, announce)));
    }

    /// <param name="replyTo">where the echo (echo-message) goes: the sender's connection, or its session while it
    /// collects a labeled response</param>
    private void PrivateMessage(User from, MessageRequest m, IActorRef replyTo)
    {
        var notice = m.Command is "NOTICE" or "TAGMSG";
        if (!_nicks.TryGetValue(m.Target, out var session) || !_users.TryGetValue(session, out var target))
        {
            if (PrivateMessageRemote(from, m, replyTo)) return;
            from.Session.Tell(notice ? Completed.Instance : new RepliesEvent([Replies.NoSuchNick(Server, from.State.NickOrStar, m.Target)]));
            return;
        }

        var tagmsg = m.Command == "TAGMSG";
        var message = new Outgoing(new IrcMessage(from.State.Prefix, m.Command, tagmsg ? [target.State.NickOrStar] : [target.State.NickOrStar, m.Text]),
            _time.GetUtcNow(), Outgoing.WithBotTag(m.Tags, from.State.Bot), assignMsgId: true);
        if (!tagmsg || target.State.Has(CapCommands.MessageTags)) target.Connection.Tell(message.For(target.State.Caps), ActorRefs.NoSender);
        // to oneself the delivery is the echo, unless the echo is the labeled response (then both: one labeled)
        if (from.State.Has(CapCommands.EchoMessage) && (!from.Session.Equals(target.Session) || !replyTo.Equals(from.Connection)))
            replyTo.Tell(message.For(from.State.Caps), ActorRefs.NoSender);
        from.Session.Tell(!notice && target.State.Away is { } away
            ? new RepliesEvent([Replies.Numeric(Server, Numerics.RPL_AWAY, from.State.NickOrStar, target.State.NickOrStar, away)])
            : Completed.Instance);
    }

    private void Invite(FromSession r, User user, InviteRequest i)
    {
        var me = user.State.NickOrStar;
        if (!_nicks.TryGetValue(i.Nick, out var session) || !_users.TryGetValue(session, out var target))
        {
            if (!InviteRemote(r, user, i)) r.Session.Tell(new RepliesEvent([Replies.NoSuchNick(Server, me, i.Nick)]));
        }
        else
            ToChannel(r, user, i.Channel, missing: Replies.NoSuchChannel(Server, me, i.Channel), target: target.Ref);
    }

    private void OnMembership(MembershipChanged changed)
    {
        var m = changed.Membership;
        if (_users.TryGetValue(m.Session, out var user))
        {
            if (m.Joined)
            {
                user.Channels[m.Key] = changed.Name;
                user.Prefixes[m.Key] = m.Prefix;
            }
            else
            {
                user.Channels.Remove(m.Key);
                user.Prefixes.Remove(m.Key);
            }
        }
        else if (m.Joined)
        {
            // The session went away while its JOIN was on the way: take it out again.
            Sender.Tell(new RemoveMember(m.Session, "Connection closed"));
        }
    }

    private void RememberWhowas(SessionState state)
    {
        _whowas.AddFirst(new WhowasEntry(state, _time.GetUtcNow()));
        if (_whowas.Count > _settings.WhowasSize) _whowas.RemoveLast();
    }

    /// <summary>LUSERS: this node's counts; in cluster mode with every node's users (the nodes this one knows).</summary>
    private LusersCounts Counts() =>
        new(_tally.Registered, _tally.Invisible, _tally.Opers, _users.Count - _tally.Registered, _channelCount, _maxUsers)
        {
            Global = Clustered
                ? new GlobalCounts(1 + _nodeNames.Count, _tally.Registered + _tally.Remote, _tally.Invisible + _tally.RemoteInvisible,
                    _tally.Opers + _tally.RemoteOpers, _tally.MaxGlobal)
                : null,
        };
}
