using System.Collections.Immutable;
using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Settings;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// The chat service (<c>/user/actornet/services/chat</c>): the nick registry (uniqueness under the declared
/// casemapping), the directory of users (the latest <see cref="SessionState"/> each session saved, which is also what
/// a restarted session recovers), the channel actors (its children) and the queries that span users
/// (WHOIS, WHO, LIST, ...). It watches sessions: a session that stops without QUIT is seen quitting by its peers.
/// </summary>
public sealed partial class ChatServer : ReceiveActor
{
    /// <summary>LUSERS counts kept up to date as users' states change (not recounted per registration: with
    /// 10,000 users that was O(n) work and a list per new user).</summary>
    private sealed class Tally
    {
        public int Registered, Invisible, Opers;

        public void Move(SessionState? before, SessionState? after)
        {
            if (before is { Registered: true }) Count(before, -1);
            if (after is { Registered: true }) Count(after, +1);
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
        public HashSet<string> Channels { get; } = new(StringComparer.Ordinal);
        public MemberRef Ref => new(Session, Connection, State);
    }

    private sealed class ChannelEntry(IActorRef actor, string name)
    {
        public IActorRef Actor { get; } = actor;
        public string Name { get; set; } = name;
        public int Members { get; set; }
        public string? Topic { get; set; }
    }

    private sealed record WhowasEntry(SessionState State, DateTimeOffset At);

    private const int WhowasLimit = 200;

    private readonly ChatSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, User> _users = new();
    private readonly Dictionary<string, IActorRef> _nicks;
    private readonly Dictionary<string, ChannelEntry> _channels = new(StringComparer.Ordinal);
    private readonly LinkedList<WhowasEntry> _whowas = new();
    private readonly Tally _tally = new();
    private int _maxUsers;
    private long _channelSeq;
    private readonly string _chanTypes;

    public ChatServer(ChatSettings settings, TimeProvider time, IReadOnlyList<ActorNet.Config.ConfigError>? configErrors = null)
    {
        foreach (var error in configErrors ?? [])
            _log.Error("chat settings: {Path}: {Reason} (the default is used)", error.Path, error.Reason);
        foreach (var oper in settings.PlainTextOpers)
            _log.Warning("chat: operator {OperName} has a PLAIN-TEXT password in actornet.chat.opers (plain:...); store the hash `actornet hash-password` prints", oper);
        _settings = settings;
        _time = time;
        _chanTypes = settings.ISupport.ChanTypes;
        _nicks = new Dictionary<string, IActorRef>(settings.CaseMapping);
        Receive<SaveState>(OnSave);
        Receive<RecoverState>(r => Sender.Tell(new RecoveredState(_users.TryGetValue(r.Session, out var u) ? u.State : null)));
        Receive<FromSession>(OnRequest);
        Receive<ChannelInfo>(OnChannelInfo);
        Receive<Membership>(OnMembership);
        Receive<ChannelEmpty>(OnChannelEmpty);
        Receive<Terminated>(t =>
        {
            ForgetClaims(t.ActorRef);
            Quit(t.ActorRef, "Connection closed");
        });
        StartCluster();
    }

    public static Props Props(ChatSettings settings, TimeProvider time, IReadOnlyList<ActorNet.Config.ConfigError>? configErrors = null) =>
        Akka.Actor.Props.Create(() => new ChatServer(settings, time, configErrors));

    private string Server => _settings.ServerName;

    private CaseMapping Casemap => _settings.CaseMapping;

    private void OnSave(SaveState s)
    {
        if (!_users.TryGetValue(s.Session, out var user))
        {
            user = new User(s.Session, s.Connection, s.State, _tally);
            _users[s.Session] = user;
            Context.Watch(s.Session);
        }

        var before = user.State;
        user.State = s.State;
        user.Connection = s.Connection;
        if (before.Registered && (before.Away != s.State.Away || !before.Caps.SetEquals(s.State.Caps) || before.Oper != s.State.Oper
                                  || before.Invisible != s.State.Invisible))
        {
            if (before.Away != s.State.Away || before.Oper != s.State.Oper) AnnounceUser("UPDATE", s.State);
            var update = new MemberUpdated(user.Ref);
            foreach (var key in user.Channels)
                if (_channels.TryGetValue(key, out var ch)) ch.Actor.Tell(update);
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
                return;
        }

        if (user is null || !user.State.Registered)
        {
            r.Session.Tell(Completed.Instance);
            return;
        }

        switch (r.Request)
        {
            case ChangeNickRequest n:
                ChangeNick(user, n.NewNick);
                break;
            case JoinRequest j:
                var key = Casemap.Fold(j.Channel);
                if (!_channels.TryGetValue(key, out var entry))
                {
                    entry = NewChannel(key, j.Channel);
                }

                entry.Actor.Tell(new ToChannel(r, user.Ref));
                break;
            case MessageRequest m when !IrcNames.IsChannelName(m.Target, _chanTypes):
                PrivateMessage(user, m);
                break;
            case MessageRequest m:
                ToChannelOr(r, user, m.Target, m.Command == "NOTICE" ? null : Replies.NoSuchChannel(Server, user.State.NickOrStar, m.Target));
                break;
            case PartRequest p:
                ToChannelOr(r, user, p.Channel, Replies.NoSuchChannel(Server, user.State.NickOrStar, p.Channel));
                break;
            case TopicRequest t:
                ToChannelOr(r, user, t.Channel, Replies.NoSuchChannel(Server, user.State.NickOrStar, t.Channel));
                break;
            case ChannelModeRequest mode:
                ToChannelOr(r, user, mode.Channel, Replies.NoSuchChannel(Server, user.State.NickOrStar, mode.Channel));
                break;
            case KickRequest k:
                ToChannelOr(r, user, k.Channel, Replies.NoSuchChannel(Server, user.State.NickOrStar, k.Channel));
                break;
            case NamesRequest n:
                ToChannelOr(r, user, n.Channel, Replies.Numeric(Server, Numerics.RPL_ENDOFNAMES, user.State.NickOrStar, n.Channel, "End of /NAMES list"));
                break;
            case WhoRequest w when IrcNames.IsChannelName(w.Mask, _chanTypes):
                ToChannelOr(r, user, w.Mask, Replies.Numeric(Server, Numerics.RPL_ENDOFWHO, user.State.NickOrStar, w.Mask, "End of /WHO list"));
                break;
            case InviteRequest i:
                Invite(r, user, i);
                break;
            default:
                r.Session.Tell(new RepliesEvent(Query(user, r.Request)));
                break;
        }
    }

    private void ToChannelOr(FromSession r, User user, string channel, IrcMessage? missing)
    {
        if (_channels.TryGetValue(Casemap.Fold(channel), out var entry))
            entry.Actor.Tell(new ToChannel(r, user.Ref));
        else
            r.Session.Tell(missing is null ? Completed.Instance : new RepliesEvent([missing]));
    }

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
        AnnounceUser("HELLO", user.State);
        r.Session.Tell(new RegisteredEvent(Counts(), user.State.SignedOn));
    }

    private void ChangeNick(User user, string newNick)
    {
        if (LocallyTaken(newNick, user.Session))
        {
            user.Session.Tell(new NickInUseEvent(newNick));
            return;
        }

        if (!ClaimRemotely(new FromSession(user.Session, user.Connection, new ChangeNickRequest(newNick)), newNick, user.State.NickOrStar))
            CompleteNickChange(user, newNick);
    }

    private void CompleteNickChange(User user, string newNick)
    {
        var old = user.State;
        RememberWhowas(old);
        _nicks.Remove(old.NickOrStar);
        _nicks[newNick] = user.Session;
        user.State = old with { Nick = newNick };
        var message = new Outgoing(IrcMessage.FromSource(old.Prefix, "NICK", newNick), _time.GetUtcNow());
        user.Connection.Tell(message.For(user.State.Caps), ActorRefs.NoSender);
        StartPeerBroadcast(user, message, user.Ref, new NickChangedEvent(newNick), UserAnnouncement("NICK", old, newNick, message));
    }

    /// <summary>The user leaves: peers see one QUIT each, the nick is freed. Idempotent.</summary>
    private void Quit(IActorRef session, string reason)
    {
        if (!_users.Remove(session, out var user)) return;
        user.Forget();
        Context.Unwatch(session);
        if (!user.State.Registered) return;
        _nicks.Remove(user.State.NickOrStar);
        RememberWhowas(user.State);
        _log.Info("chat: {Nick} quit ({Reason})", user.State.NickOrStar, reason);
        var message = new Outgoing(IrcMessage.FromSource(user.State.Prefix, "QUIT", reason), _time.GetUtcNow());
        ReleaseNick(user.State.NickOrStar, Claimant(session));
        StartPeerBroadcast(user, message, renamed: null, final: null, UserAnnouncement("QUIT", user.State, line: message));
    }

    private void StartPeerBroadcast(User user, Outgoing message, MemberRef? renamed, ChatEvent? final, UserEvent? announce)
    {
        var channels = user.Channels.Select(k => _channels.TryGetValue(k, out var e) ? e.Actor : null).OfType<IActorRef>().ToArray();
        if (channels.Length == 0)
        {
            if (final is not null) user.Session.Tell(final);
            if (announce is not null) ToPeers(announce);
            return;
        }

        channels[0].Tell(new PeerBroadcast(message, user.Session, renamed, channels[1..],
            ImmutableHashSet.Create<IActorRef>(user.Connection), final, announce));
    }

    private void PrivateMessage(User from, MessageRequest m)
    {
        var notice = m.Command == "NOTICE";
        if (!_nicks.TryGetValue(m.Target, out var session) || !_users.TryGetValue(session, out var target))
        {
            if (PrivateMessageRemote(from, m)) return;
            from.Session.Tell(notice ? Completed.Instance : new RepliesEvent([Replies.NoSuchNick(Server, from.State.NickOrStar, m.Target)]));
            return;
        }

        var message = new Outgoing(new IrcMessage(from.State.Prefix, m.Command, [target.State.NickOrStar, m.Text]), _time.GetUtcNow(), m.Tags);
        target.Connection.Tell(message.For(target.State.Caps), ActorRefs.NoSender);
        if (from.State.Has(CapCommands.EchoMessage) && !from.Session.Equals(target.Session))
            from.Connection.Tell(message.For(from.State.Caps), ActorRefs.NoSender);
        from.Session.Tell(!notice && target.State.Away is { } away
            ? new RepliesEvent([Replies.Numeric(Server, Numerics.RPL_AWAY, from.State.NickOrStar, target.State.NickOrStar, away)])
            : Completed.Instance);
    }

    private void Invite(FromSession r, User user, InviteRequest i)
    {
        var me = user.State.NickOrStar;
        if (!_nicks.TryGetValue(i.Nick, out var session) || !_users.TryGetValue(session, out var target))
            r.Session.Tell(new RepliesEvent([Replies.NoSuchNick(Server, me, i.Nick)]));
        else if (!_channels.TryGetValue(Casemap.Fold(i.Channel), out var entry))
            r.Session.Tell(new RepliesEvent([Replies.NoSuchChannel(Server, me, i.Channel)]));
        else
            entry.Actor.Tell(new ToChannel(r, user.Ref, target.Ref));
    }

    private void OnChannelInfo(ChannelInfo info)
    {
        if (!_channels.TryGetValue(info.Key, out var entry) || !entry.Actor.Equals(Sender)) return;
        entry.Name = info.Name;
        entry.Members = info.Members;
        entry.Topic = info.Topic;
    }

    private void OnMembership(Membership m)
    {
        if (_users.TryGetValue(m.Session, out var user))
        {
            if (m.Joined) user.Channels.Add(m.Key);
            else user.Channels.Remove(m.Key);
        }
        else if (m.Joined)
        {
            // The session went away while its JOIN was on the way: take it out again.
            Sender.Tell(new RemoveMember(m.Session, "Connection closed"));
        }
    }

    private void OnChannelEmpty(ChannelEmpty e)
    {
        if (!_channels.TryGetValue(e.Key, out var entry) || !entry.Actor.Equals(Sender)) return;
        _channels.Remove(e.Key);
        Sender.Tell(PoisonPill.Instance); // after whatever is still queued for it (which it bounces back here)
    }

    private void RememberWhowas(SessionState state)
    {
        _whowas.AddFirst(new WhowasEntry(state, _time.GetUtcNow()));
        if (_whowas.Count > WhowasLimit) _whowas.RemoveLast();
    }

    private LusersCounts Counts()
    {
        return new LusersCounts(_tally.Registered, _tally.Invisible, _tally.Opers, _users.Count - _tally.Registered, _channels.Count, _maxUsers);
    }
}
