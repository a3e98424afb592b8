using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorNet.Chat.Cluster;

/// <summary>
/// The cluster-wide nick registry: one instance in the cluster (a cluster singleton under every node's chat service,
/// reached through a singleton proxy), so every claim is decided in one place, one after the other: two clients
/// racing for one nick on two nodes get exactly one owner. An entry names the owner's node and its claimant (the
/// session's actor path). When a member is removed from the cluster, its nicks are released. A new instance (after a
/// hand-over) starts empty: it asks every member's chat service to re-assert its nicks and decides nothing
/// (<c>Reasserting</c>: claims and releases wait, stashed in order) until every member it asked has answered, been
/// removed, or <c>reassert-timeout</c> has passed; so a claim can never be granted for a nick a survivor holds but has
/// not re-asserted yet. A crash of a deciding registry carries its entries over to the restarted instance
/// (<see cref="ActorNet.Supervision.CarryOver"/>), which goes on deciding at once: its cluster subscription stays, and
/// nothing needs re-asserting.
/// </summary>
public sealed class NickRegistry : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private sealed record Entry(string Nick, Address Node, string Claimant);

    private sealed record ReassertTimedOut
    {
        public static readonly ReassertTimedOut Instance = new();
    }

    private Dictionary<string, Entry> _nicks;
    private bool _deciding;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _chatPath;
    private readonly TimeSpan _reassertTimeout;
    private readonly HashSet<Address> _awaiting = new();

    public NickRegistry(IEqualityComparer<string> casemap, string chatPath, TimeSpan reassertTimeout)
    {
        _nicks = new Dictionary<string, Entry>(casemap);
        _chatPath = chatPath;
        _reassertTimeout = reassertTimeout;
        Reasserting();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="chatPath">The path (without address) of the actor on every member that answers
    /// <see cref="NickReassertRequest"/> (the chat service's <c>users</c>).</param>
    /// <param name="reassertTimeout">How long a new instance waits for the members' re-asserts at most.</param>
    public static Props Props(IEqualityComparer<string> casemap, string chatPath, TimeSpan reassertTimeout) =>
        Akka.Actor.Props.Create(() => new NickRegistry(casemap, chatPath, reassertTimeout));

    /// <summary>Just started: only re-asserts (and removals) are handled; everything else waits.</summary>
    private void Reasserting()
    {
        Receive<NickReassert>(r =>
        {
            Reassert(r);
            if (_awaiting.Remove(r.Node) && _awaiting.Count == 0) Decide("every member re-asserted");
        });
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            ReleaseNode(m.Member.Address);
            if (_awaiting.Remove(m.Member.Address) && _awaiting.Count == 0) Decide("every member re-asserted");
        });
        Receive<ReassertTimedOut>(_ =>
        {
            _log.Warning("chat: nick registry deciding without the re-asserts of {Members} after {Timeout}", string.Join(", ", _awaiting), _reassertTimeout);
            _awaiting.Clear();
            Decide("re-assert timeout");
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Decide(string why)
    {
        Timers.Cancel(ReassertTimedOut.Instance);
        _log.Info("chat: nick registry deciding claims ({Why}; {Count} nicks known)", why, _nicks.Count);
        _deciding = true;
        Become(Deciding);
        Stash.UnstashAll();
    }

    private void Deciding()
    {
        Receive<NickClaim>(OnClaim);
        Receive<NickRelease>(r =>
        {
            if (_nicks.TryGetValue(r.Nick, out var e) && e.Node.Equals(r.Node) && e.Claimant == r.Claimant) _nicks.Remove(r.Nick);
        });
        Receive<NickReassert>(Reassert);
        Receive<NickOwnerQuery>(g => Sender.Tell(new NickOwner(g.Nick, _nicks.TryGetValue(g.Nick, out var e) ? e.Node : null)));
        Receive<ClusterEvent.MemberRemoved>(m => ReleaseNode(m.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
    }

    private void Reassert(NickReassert r)
    {
        foreach (var held in r.Nicks)
            if (!_nicks.ContainsKey(held.Nick)) _nicks[held.Nick] = new Entry(held.Nick, r.Node, held.Claimant);
    }

    protected override void PreStart()
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.MemberRemoved));
        foreach (var member in cluster.State.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving))
        {
            _awaiting.Add(member.Address);
            Context.ActorSelection(new RootActorPath(member.Address) / _chatPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
                .Tell(NickReassertRequest.Instance);
        }

        _log.Info("chat: nick registry started on {Node}; waiting for the re-asserts of {Count} members", cluster.SelfAddress, _awaiting.Count);
        if (_awaiting.Count == 0) Decide("no members to wait for");
        else Timers.StartSingleTimer(ReassertTimedOut.Instance, ReassertTimedOut.Instance, _reassertTimeout);
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    /// <summary>A deciding registry hands its entries to its successor (and stays subscribed: no PostStop).</summary>
    protected override void PreRestart(Exception reason, object message)
    {
        if (_deciding) ActorNet.Supervision.CarryOver.Get(Context.System).Hand(Self, _nicks);
        else PostStop(); // still re-asserting: the successor starts over (PreStart subscribes again)
    }

    protected override void PostRestart(Exception reason)
    {
        if (!ActorNet.Supervision.CarryOver.Get(Context.System).TryTake<Dictionary<string, Entry>>(Self, out var nicks))
        {
            PreStart();
            return;
        }

        _nicks = nicks;
        _deciding = true;
        Become(Deciding);
        _log.Warning("chat: nick registry restarted; {Count} nicks carried over, deciding at once", _nicks.Count);
    }

    private void OnClaim(NickClaim c)
    {
        var granted = !_nicks.TryGetValue(c.Nick, out var e) || (e.Node.Equals(c.Node) && e.Claimant == c.Claimant);
        if (granted)
        {
            // release first: a case-only change (bob -> Bob) releases and re-claims the same key
            if (c.Release is { } old && _nicks.TryGetValue(old, out var o) && o.Node.Equals(c.Node) && o.Claimant == c.Claimant) _nicks.Remove(old);
            _nicks[c.Nick] = new Entry(c.Nick, c.Node, c.Claimant);
        }

        Sender.Tell(new NickClaimResult(c.Id, c.Nick, c.Claimant, granted));
    }

    private void ReleaseNode(Address node)
    {
        var gone = _nicks.Where(kv => kv.Value.Node.Equals(node)).Select(kv => kv.Key).ToList();
        foreach (var nick in gone) _nicks.Remove(nick);
        if (gone.Count > 0) _log.Info("chat: {Count} nicks of removed member {Node} released", gone.Count, node);
    }
}
