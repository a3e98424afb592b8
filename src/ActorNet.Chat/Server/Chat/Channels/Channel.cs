using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Settings;
using Akka.Actor;

namespace ActorNet.Chat.Server;

/// <summary>
/// <c>chat/channels/ch-N</c>: one channel: members with their prefixes, modes (+o +v +t +n +m +k +l +i +b), topic
/// with setter and time, invites. Every message to the channel is encoded once (<see cref="Outgoing"/>) and the same
/// <c>Connection.Send</c> is told to each member's connection actor. Requests come from <c>channels</c> (its parent)
/// and, for channel messages, straight from members' sessions. What the other cluster members must see goes to
/// <c>cluster-link</c> (the parent when no link is given: tests). When the last member leaves it tells its parent
/// and bounces anything else it gets back to it until the parent stops it.
/// </summary>
public sealed partial class ChannelActor : ReceiveActor
{
    private sealed class Member
    {
        private MemberRef _ref = null!;

        public Member(MemberRef member) => Ref = member;

        /// <summary>The member's refs and state; setting it re-reads the capabilities that pick a message variant.</summary>
        public MemberRef Ref
        {
            get => _ref;
            set
            {
                _ref = value;
                ServerTime = value.State.Caps.Contains(CapCommands.ServerTime);
                MessageTags = value.State.Caps.Contains(CapCommands.MessageTags);
            }
        }

        public bool ServerTime { get; private set; }

        public bool MessageTags { get; private set; }

        public Transport.Connection.Send Variant(Outgoing message) => message.For(ServerTime, MessageTags);

        /// <summary>Which of the (at most four) encodings of a message this member gets: members with the same key
        /// get the same bytes.</summary>
        public int VariantKey => (ServerTime ? 1 : 0) | (MessageTags ? 2 : 0);

        public bool Op { get; set; }
        public bool Voice { get; set; }

        public string Prefixes(bool multi) => multi ? (Op ? "@" : "") + (Voice ? "+" : "") : Op ? "@" : Voice ? "+" : "";
    }

    private readonly string _name;
    private readonly string _key;
    private readonly ChatSettings _settings;
    private readonly TimeProvider _time;
    private DateTimeOffset _created;
    private Dictionary<IActorRef, Member> _members = new();
    private Dictionary<string, IActorRef> _byNick;
    private List<string> _bans = new();

    /// <summary>+e ban exceptions and +I invite exceptions (masks), bounded like the bans by max-list-entries.</summary>
    private List<string> _excepts = new(), _invex = new();
    private HashSet<string> _invited;

    /// <summary>The invited nicks in the order of their invitation (may hold nicks already used up), so that past
    /// max-invites the oldest is forgotten.</summary>
    private Queue<string> _inviteOrder = new();
    private Dictionary<string, RemoteMember> _remote;
    private readonly bool _clustered;
    private readonly IActorRef? _link;
    private bool _inviteOnly, _moderated, _noExternal = true, _topicLocked = true, _secret, _private, _noCtcp;
    private string? _channelKey;
    private int? _limit;
    private string? _topic;
    private string _topicSetter = "";
    private DateTimeOffset _topicTime;

    /// <summary>The last member left and the parent was told (<see cref="Closing"/>).</summary>
    private bool _empty;

    public ChannelActor(string name, ChatSettings settings, TimeProvider time, bool clustered = false, IActorRef? link = null)
    {
        _clustered = clustered;
        _link = link;
        _remote = new Dictionary<string, RemoteMember>(settings.CaseMapping);
        _name = name;
        _settings = settings;
        _time = time;
        _key = settings.CaseMapping.Fold(name);
        _created = time.GetUtcNow();
        _byNick = new Dictionary<string, IActorRef>(settings.CaseMapping);
        _invited = new HashSet<string>(settings.CaseMapping);
        Open();
    }

    public static Props Props(string name, ChatSettings settings, TimeProvider time, bool clustered = false, IActorRef? link = null) =>
        Akka.Actor.Props.Create(() => new ChannelActor(name, settings, time, clustered, link));

    /// <summary>Where events for the other cluster members go (in the order this channel handled them).</summary>
    private IActorRef Link => _link ?? Context.Parent;

    private string Server => _settings.ServerName;

    private void Open()
    {
        Receive<ToChannel>(OnRequest);
        Receive<MemberUpdated>(u =>
        {
            if (_members.TryGetValue(u.Member.Session, out var m)) m.Ref = u.Member;
        });
        Receive<PeerBroadcast>(OnPeerBroadcast);
        Receive<CapNotice>(OnCapNotice);
        Receive<RemoveMember>(r =>
        {
            if (!_members.TryGetValue(r.Session, out var gone)) return;
            Remove(r.Session);
            var quit = From(gone.Ref, "QUIT", r.Reason);
            Broadcast(quit, except: null);
            Publish(gone.Ref, quit, MemberQuit.Instance);
            AfterLeave();
        });
        Receive<RemoteInvited>(OnRemoteInvited);
        ReceiveRemote();
    }

    /// <summary>Empty: everything goes back to the server, which re-creates the channel if needed.</summary>
    private void Closing()
    {
        Receive<ToChannel>(t => Context.Parent.Tell(t.Origin, t.Origin.Session));
        Receive<PeerBroadcast>(OnPeerBroadcast);
        Receive<ChannelEvent>(e => Context.Parent.Tell(e));
        Receive<RemoteSync>(e => Context.Parent.Tell(e));
        Receive<RemotePeer>(OnRemotePeer);
        Receive<CapNotice>(OnCapNotice); // no members any more: passed on
        ReceiveAny(_ => { });
    }

    private void OnRequest(ToChannel t)
    {
        // Replies to the requester go to the connection of the request: its session while it collects a labeled
        // response (IRCv3 labeled-response), else its connection. What the channel keeps is the member's own ref.
        var from = t.Origin.Connection.Equals(t.From.Connection) ? t.From : t.From with { Connection = t.Origin.Connection };
        switch (t.Origin.Request)
        {
            case JoinRequest j:
                Join(from, j.Key, t.From);
                return;
            case PartRequest p:
                Part(from, p.Reason);
                return;
            case MessageRequest m:
                Message(from, m);
                if (_batch.Count == 0) break;
                _completeAfterFlush.Add(from.Session); // completed once the batch (with this message) is sent
                return;
            case TopicRequest topic:
                Topic(from, topic.NewTopic);
                break;
            case ChannelModeRequest mode:
                Mode(from, mode.Args, mode.NoSuchNicks);
                break;
            case KickRequest k:
                Kick(from, k.Nick, k.Reason);
                break;
            case InviteRequest when t.Target is { } target:
                Invite(from, target);
                break;
            case InviteRequest when t.RemoteTarget is { } far:
                InviteRemote(from, far);
                break;
            case NamesRequest n:
                Names(from, n.End);
                break;
            case WhoRequest w:
                Who(from, w.Whox);
                break;
        }

        from.Session.Tell(Completed.Instance);
    }

    private void OnPeerBroadcast(PeerBroadcast b)
    {
        var reached = b.Reached;
        if (_members.TryGetValue(b.Subject, out var subject))
        {
            foreach (var m in _members.Values)
            {
                if (reached.Contains(m.Ref.Connection)) continue;
                m.Ref.Connection.Tell(m.Variant(b.Message), ActorRefs.NoSender);
                reached = reached.Add(m.Ref.Connection);
            }

            if (b.Renamed is { } renamed)
            {
                _byNick.Remove(subject.Ref.Nick);
                subject.Ref = renamed;
                _byNick[renamed.Nick] = b.Subject;
            }
            else
            {
                Remove(b.Subject);
            }
        }

        if (b.Remaining.Count > 0)
            b.Remaining[0].Tell(b with { Remaining = b.Remaining.Skip(1).ToArray(), Reached = reached });
        else
        {
            if (b.Final is not null) b.Subject.Tell(b.Final);
            if (b.Announce is not null) Link.Tell(b.Announce);
        }

        if (b.Renamed is null && subject is not null) AfterLeave();
    }

    /// <summary>AWAY / SETNAME of a member: to the members with the cap not reached yet, then on along the chain.</summary>
    private void OnCapNotice(CapNotice n)
    {
        var reached = n.Reached;
        var isMember = n.Subject is { } subject ? _members.ContainsKey(subject) : n.RemoteNick is { } nick && _remote.ContainsKey(nick);
        if (isMember) reached = SendToCap(n.Message, n.Cap, reached);
        if (n.Remaining.Count > 0) n.Remaining[0].Tell(n with { Remaining = n.Remaining.Skip(1).ToArray(), Reached = reached });
        else if (n is { Subject: { } s, Final: { } final }) s.Tell(final);
    }

    /// <summary>The message to the members that negotiated <paramref name="cap"/> and are not in <paramref name="reached"/>.</summary>
    private System.Collections.Immutable.ImmutableHashSet<IActorRef> SendToCap(Outgoing message, string cap, System.Collections.Immutable.ImmutableHashSet<IActorRef> reached)
    {
        foreach (var m in _members.Values)
        {
            if (reached.Contains(m.Ref.Connection) || !m.Ref.State.Has(cap)) continue;
            m.Ref.Connection.Tell(m.Variant(message), ActorRefs.NoSender);
            reached = reached.Add(m.Ref.Connection);
        }

        return reached;
    }

    private void Reply(MemberRef to, string code, params string[] parameters) =>
        to.Connection.Tell(new Transport.Connection.Send(Outgoing.Encode(Replies.Numeric(Server, code, to.Nick, parameters))), ActorRefs.NoSender);

    private void Broadcast(Outgoing message, IActorRef? except) => BroadcastSkipping(message, MemberOrNull(except));

    /// <summary>To every member, the requester's own copy to the connection of its request (see <see cref="OnRequest"/>).</summary>
    private void BroadcastWithSelf(Outgoing message, MemberRef who)
    {
        if (MemberOrNull(who.Session) is not { } self || self.Ref.Connection.Equals(who.Connection))
        {
            Broadcast(message, except: null);
            return;
        }

        BroadcastSkipping(message, self);
        who.Connection.Tell(self.Variant(message), ActorRefs.NoSender);
    }

    private void BroadcastSkipping(Outgoing message, Member? except)
    {
        foreach (var m in _members.Values)
            if (!ReferenceEquals(m, except)) m.Ref.Connection.Tell(m.Variant(message), ActorRefs.NoSender);
    }

    /// <summary>Remembers an invitation; past max-invites pending ones the oldest is forgotten (bounded memory).</summary>
    private void RememberInvite(string nick)
    {
        if (!_invited.Add(nick)) return;
        _inviteOrder.Enqueue(nick);
        while (_invited.Count > _settings.MaxInvites && _inviteOrder.TryDequeue(out var oldest)) _invited.Remove(oldest);
        if (_inviteOrder.Count > 2 * _settings.MaxInvites) // drop entries of invitations already used
        {
            var live = _inviteOrder.Where(_invited.Contains).Distinct(_settings.CaseMapping).ToList();
            _inviteOrder.Clear();
            foreach (var n in live) _inviteOrder.Enqueue(n);
        }
    }

    /// <summary>What <c>channels</c> keeps of this channel for LIST.</summary>
    private ChannelInfo Info() => new(_key, _name, TotalMembers, _topic, _secret);

    private Member? MemberOrNull(IActorRef? session) => session is not null && _members.TryGetValue(session, out var m) ? m : null;

    private Outgoing From(MemberRef who, string command, params string[] parameters) =>
        new(new IrcMessage(who.State.Prefix, command, parameters), _time.GetUtcNow());

    private void Remove(IActorRef session)
    {
        if (!_members.Remove(session, out var m)) return;
        _byNick.Remove(m.Ref.Nick);
        Context.Parent.Tell(new Membership(_key, session, false));
    }

    /// <summary>After someone left: report, and close when empty.</summary>
    private void AfterLeave()
    {
        if (TotalMembers > 0)
        {
            Context.Parent.Tell(Info());
            return;
        }

        Context.Parent.Tell(new ChannelEmpty(_key));
        _empty = true;
        Become(Closing);
    }

    /// <summary>+b matches and no +e does.</summary>
    private bool IsBanned(MemberRef who) => Matches(_bans, who) && !Matches(_excepts, who);

    /// <summary>+I: may join while +i without an invitation.</summary>
    private bool IsInviteExcepted(MemberRef who) => Matches(_invex, who);

    private bool Matches(List<string> masks, MemberRef who)
    {
        if (masks.Count == 0) return false;
        var prefix = _settings.CaseMapping.Fold(who.State.Prefix);
        return masks.Any(b => ChannelModeParser.WildcardMatch(_settings.CaseMapping.Fold(b), prefix));
    }

    /// <summary>The list of a list mode (b, e, I).</summary>
    private List<string> ListOf(char mode) => mode switch { 'e' => _excepts, 'I' => _invex, _ => _bans };
}
