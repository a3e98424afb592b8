using System.Globalization;
using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Settings;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// <c>chat/channels</c>: the channel actors (its children <c>ch-N</c>, one per channel name under the casemapping)
/// and what the service knows of each (display name, members, topic: LIST and LUSERS). Everything the service
/// sends a channel goes through here, so it reaches the channel in the order it was sent; sessions' channel
/// messages go straight to the channel actor (the fast path). In cluster mode what other members send arrives here
/// from <c>cluster-link</c> in their order: channel events go to their channel, and what <c>users</c> needs to know
/// (remote users joining and leaving, snapshots, NICK/QUIT) is handed on to it afterwards.
/// </summary>
public sealed class ChannelsActor : ChatChild, IWithTimers
{
    /// <summary>users → channels: the remote NICK/QUIT (or lost node) handed to users is dealt with (its chain sent):
    /// what other members sent after it may go on.</summary>
    public sealed record Resume
    {
        public static readonly Resume Instance = new();
    }

    /// <summary>users → channels: to the channel named <paramref name="Channel"/>; a missing channel is created when
    /// <paramref name="Create"/>, else the session is answered <paramref name="Missing"/> (or just completed).</summary>
    public sealed record Route(string Channel, ToChannel Message, bool Create, IrcMessage? Missing);

    /// <summary>users → channels: the same message to each of these channels (the existing ones).</summary>
    public sealed record ToEach(IReadOnlyList<string> Keys, object Message);

    /// <summary>users → channels: this message to every channel.</summary>
    public sealed record ToAll(object Message);

    /// <summary>users → channels: a <see cref="PeerBroadcast"/> or <see cref="RemotePeer"/> travelling over these
    /// channels (the existing ones, in this order); with none left, its end is delivered here.</summary>
    public sealed record Chain(IReadOnlyList<string> Keys, object Message);

    /// <summary>users → channels: LIST for a session.</summary>
    /// <summary>LIST for <paramref name="Nick"/>; <paramref name="Joined"/>: the folded channels it is on (it sees those even when +s).</summary>
    public sealed record List(IActorRef Session, string Nick, IReadOnlyList<string>? Channels, IReadOnlyCollection<string>? Joined = null)
    {
        /// <summary>ELIST masks and user counts (null: every channel).</summary>
        public ListFilter? Filter { get; init; }
    }

    /// <summary>cluster-link → channels: what another member sent, in the order it arrived.</summary>
    public sealed record FromPeer(object Message);

    private sealed class Entry(IActorRef actor, string name)
    {
        public IActorRef Actor { get; } = actor;
        public string Name { get; set; } = name;
        public int Members { get; set; }
        public string? Topic { get; set; }
        public bool Secret { get; set; }
    }

    private readonly ChatSettings _settings;
    private readonly TimeProvider _time;
    private Dictionary<string, Entry> _channels = new(StringComparer.Ordinal);
    private long _channelSeq;
    private bool _awaitingUsers;

    public ChannelsActor(ChatSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
    }

    public static Props Props(ChatSettings settings, TimeProvider time) => Akka.Actor.Props.Create(() => new ChannelsActor(settings, time));

    private CaseMapping Casemap => _settings.CaseMapping;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void Running()
    {
        Receive<FromPeer>(p => OnFromPeer(p.Message));
        Receive<Resume>(_ => { });
        Common();
    }

    /// <summary>A remote NICK/QUIT or lost node is with users, which sends the chains for it: what other members sent
    /// after it waits (stashed, in order) so it cannot overtake it on the way to the channels.</summary>
    private void AwaitingUsers()
    {
        Receive<FromPeer>(_ => Stash.Stash());
        Receive<Resume>(_ => EndAwaiting());
        Receive<ResumeTimedOut>(_ =>
        {
            Context.GetLogger().Warning("chat: users did not hand back a remote NICK/QUIT in {Timeout}; going on", _settings.RequestTimeout);
            EndAwaiting();
        });
        Common();
    }

    private sealed record ResumeTimedOut
    {
        public static readonly ResumeTimedOut Instance = new();
    }

    private void AwaitUsers()
    {
        Timers.StartSingleTimer(ResumeTimedOut.Instance, ResumeTimedOut.Instance, _settings.RequestTimeout);
        _awaitingUsers = true;
        Become(AwaitingUsers);
    }

    private void EndAwaiting()
    {
        Timers.Cancel(ResumeTimedOut.Instance);
        _awaitingUsers = false;
        Become(Running);
        Stash.UnstashAll();
    }

    private void Common()
    {
        Receive<Route>(OnRoute);
        Receive<ToEach>(t =>
        {
            foreach (var key in t.Keys)
                if (_channels.TryGetValue(key, out var e)) e.Actor.Tell(t.Message);
        });
        Receive<ToAll>(t =>
        {
            foreach (var e in _channels.Values) e.Actor.Tell(t.Message);
        });
        Receive<Chain>(OnChain);
        Receive<List>(OnList);
        Receive<ChannelInfo>(OnChannelInfo);
        Receive<Membership>(m =>
        {
            if (_channels.TryGetValue(m.Key, out var e) && e.Actor.Equals(Sender)) Tree.Users.Tell(new UsersActor.MembershipChanged(m, e.Name), Sender);
            else Tree.Users.Tell(new UsersActor.MembershipChanged(m, m.Key), Sender);
        });
        Receive<ChannelEmpty>(OnChannelEmpty);
        // bounced by a closing channel: back to users, which routes it again (creating the channel anew)
        Receive<FromSession>(r => Tree.Users.Forward(r));
        // bounced by a closing channel
        Receive<ChannelEvent>(e => RouteByKey(e.Key, e.Name, e, create: e.Change is MemberJoined));
        Receive<RemoteSync>(s => RouteByKey(s.Key, s.Name, s, create: s.Members.Length > 0));
    }

    private void OnRoute(Route r)
    {
        var key = Casemap.Fold(r.Channel);
        if (!_channels.TryGetValue(key, out var entry))
        {
            if (!r.Create)
            {
                var session = r.Message.Origin.Session;
                session.Tell(r.Missing is null ? Completed.Instance : new RepliesEvent([r.Missing]));
                return;
            }

            entry = NewChannel(key, r.Channel);
        }

        entry.Actor.Tell(r.Message);
    }

    /// <summary>Starts a NICK/QUIT chain over the channels that exist; none: the end happens here.</summary>
    private void OnChain(Chain c)
    {
        var actors = c.Keys.Select(k => _channels.TryGetValue(k, out var e) ? e.Actor : null).OfType<IActorRef>().ToArray();
        switch (c.Message)
        {
            case PeerBroadcast b when actors.Length == 0:
                if (b.Final is not null) b.Subject.Tell(b.Final);
                if (b.Announce is not null) Tree.Link?.Tell(b.Announce);
                break;
            case PeerBroadcast b:
                actors[0].Tell(b with { Remaining = actors[1..] });
                break;
            case RemotePeer p when actors.Length > 0:
                actors[0].Tell(p with { Remaining = actors[1..] });
                break;
            case CapNotice n when actors.Length > 0:
                actors[0].Tell(n with { Remaining = actors[1..] });
                break;
            case CapNotice { Subject: { } subject, Final: { } final }:
                subject.Tell(final);
                break;
        }
    }

    private void OnList(List l)
    {
        var replies = new List<IrcMessage>();
        void Num(string code, params string[] p) => replies.Add(Replies.Numeric(_settings.ServerName, code, l.Nick, p));
        Num(Numerics.RPL_LISTSTART, "Channel", "Users  Name");
        var wanted = l.Channels?.Select(Casemap.Fold).ToHashSet(StringComparer.Ordinal);
        var shown = 0;
        foreach (var (key, entry) in _channels.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (wanted is not null && !wanted.Contains(key)) continue;
            if (entry.Secret && l.Joined?.Contains(key) != true) continue; // +s: only its members see it
            if (l.Filter is { } filter && !filter.Matches(entry.Name, entry.Members, Casemap)) continue;
            if (++shown > _settings.MaxListReplies) break; // one LIST cannot hold this actor over every channel
            Num(Numerics.RPL_LIST, entry.Name, entry.Members.ToString(CultureInfo.InvariantCulture), entry.Topic ?? "");
        }

        Num(Numerics.RPL_LISTEND, "End of /LIST");
        l.Session.Tell(new RepliesEvent(replies));
    }

    private void OnChannelInfo(ChannelInfo info)
    {
        if (!_channels.TryGetValue(info.Key, out var entry) || !entry.Actor.Equals(Sender)) return;
        entry.Name = info.Name;
        entry.Members = info.Members;
        entry.Topic = info.Topic;
        entry.Secret = info.Secret;
    }

    private void OnChannelEmpty(ChannelEmpty e)
    {
        if (!_channels.TryGetValue(e.Key, out var entry) || !entry.Actor.Equals(Sender)) return;
        _channels.Remove(e.Key);
        Tree.Users.Tell(new UsersActor.ChannelCount(_channels.Count));
        Sender.Tell(PoisonPill.Instance); // after whatever is still queued for it (which it bounces back here)
    }

    /// <summary>Another member's traffic: channel events to their channel first, then what users keeps of it.</summary>
    private void OnFromPeer(object message)
    {
        switch (message)
        {
            case IPeerEvent[] run: // channel events only (cluster-link sends user events alone): none waits for users
                foreach (var e in run) OnFromPeer(e);
                break;
            case ChannelEvent e:
                RouteByKey(e.Key, e.Name, e, create: e.Change is MemberJoined);
                if (e.Change is MemberJoined or MemberParted or MemberQuit or MemberKicked) Tree.Users.Tell(e);
                break;
            case NodeSnapshot s:
                Tree.Users.Tell(s); // the remote directory first, then the channels' view of that node
                SyncNode(s);
                break;
            case UserEvent { Change: UserRenamed or UserQuit } or UsersActor.NodeGone:
                Tree.Users.Tell(message); // users sends the chains for it, then Resume
                AwaitUsers();
                break;
            default:
                Tree.Users.Tell(message);
                break;
        }
    }

    /// <summary>Replaces what every channel knows of the snapshot's node (channels it is on are created).</summary>
    private void SyncNode(NodeSnapshot s)
    {
        var byKey = s.Channels.ToDictionary(c => c.Key, StringComparer.Ordinal);
        foreach (var key in _channels.Keys.Union(byKey.Keys).ToList())
        {
            byKey.TryGetValue(key, out var c);
            var name = c?.Name ?? _channels[key].Name;
            RouteByKey(key, name, new RemoteSync(s.Origin, key, name, c?.Members ?? [], s.Users, c?.Topic, c?.TopicSetter, c?.TopicTimeMs ?? 0, c?.Modes, c?.Stamp), create: c is not null);
        }
    }

    /// <summary>Sends to the channel actor of <paramref name="key"/>, creating it when asked to.</summary>
    private void RouteByKey(string key, string name, object message, bool create)
    {
        if (!_channels.TryGetValue(key, out var entry))
        {
            if (!create) return;
            entry = NewChannel(key, name);
        }

        entry.Actor.Tell(message);
    }

    private Entry NewChannel(string key, string name)
    {
        var entry = new Entry(Context.ActorOf(ChannelActor.Props(name, _settings, _time, Tree.Clustered, Tree.Link), "ch-" + ++_channelSeq), name);
        _channels[key] = entry;
        Tree.Users.Tell(new UsersActor.ChannelCount(_channels.Count));
        return entry;
    }

    /// <summary>A crash keeps the channel actors (children) and hands what is known of them to the successor.</summary>
    private sealed record Handed(Dictionary<string, Entry> Channels, long Seq, bool AwaitingUsers);

    protected override object HandOver() => new Handed(_channels, _channelSeq, _awaitingUsers);

    protected override void TakeOver(object state)
    {
        var h = (Handed)state;
        (_channels, _channelSeq, _awaitingUsers) = (h.Channels, h.Seq, h.AwaitingUsers);
    }

    /// <summary>Timers do not survive a restart: a wait for users is started again.</summary>
    protected override void OnRestored()
    {
        if (_awaitingUsers) AwaitUsers();
    }
}
