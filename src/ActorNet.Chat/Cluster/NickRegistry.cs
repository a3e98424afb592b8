using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorNet.Chat.Cluster;

/// <summary>
/// The cluster-wide nick registry: one instance in the cluster (a cluster singleton under every node's chat service,
/// reached through a singleton proxy), so every claim is decided in one place, one after the other: two clients
/// racing for one nick on two nodes get exactly one owner. An entry names the owner's node and its claimant (the
/// session's actor path). When a member is removed from the cluster, its nicks are released. A new instance (after a
/// hand-over) starts empty and asks every member's chat service to re-assert its nicks. A crash of the registry
/// carries its entries over to the restarted instance (<see cref="ActorNet.Supervision.CarryOver"/>), so no nick is
/// free for an instant: its cluster subscription stays, nothing needs re-asserting.
/// </summary>
public sealed class NickRegistry : ReceiveActor
{
    /// <summary>Claim <paramref name="Nick"/> (and release <paramref name="Release"/> on success: a nick change).</summary>
    public sealed record Claim(long Id, string Nick, string? Release, string Node, string Claimant);

    /// <summary>The decision on a <see cref="Claim"/>.</summary>
    public sealed record ClaimResult(long Id, string Nick, string Claimant, bool Granted);

    /// <summary>The claimant no longer holds the nick (quit, renamed, or a claim that came too late).</summary>
    public sealed record Release(string Nick, string Node, string Claimant);

    /// <summary>A node's current nicks (after a hand-over); conflicts keep the existing entry.</summary>
    public sealed record Reassert(string Node, string[] Nicks, string[] Claimants);

    /// <summary>A new registry instance asks a chat service for its nicks; it answers with <see cref="Reassert"/>.</summary>
    public sealed record ReassertRequest;

    /// <summary>Who owns a nick (tests, diagnostics); replies <see cref="Owner"/>.</summary>
    public sealed record GetOwner(string Nick);

    public sealed record Owner(string Nick, string? Node);

    private sealed record Entry(string Nick, string Node, string Claimant);

    private Dictionary<string, Entry> _nicks;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _chatPath;

    public NickRegistry(IEqualityComparer<string> casemap, string chatPath)
    {
        _nicks = new Dictionary<string, Entry>(casemap);
        _chatPath = chatPath;
        Receive<Claim>(OnClaim);
        Receive<Release>(r =>
        {
            if (_nicks.TryGetValue(r.Nick, out var e) && e.Node == r.Node && e.Claimant == r.Claimant) _nicks.Remove(r.Nick);
        });
        Receive<Reassert>(r =>
        {
            for (var i = 0; i < r.Nicks.Length; i++)
                if (!_nicks.ContainsKey(r.Nicks[i])) _nicks[r.Nicks[i]] = new Entry(r.Nicks[i], r.Node, r.Claimants[i]);
        });
        Receive<GetOwner>(g => Sender.Tell(new Owner(g.Nick, _nicks.TryGetValue(g.Nick, out var e) ? e.Node : null)));
        Receive<ClusterEvent.MemberRemoved>(m => ReleaseNode(m.Member.Address.ToString()));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
    }

    public static Props Props(IEqualityComparer<string> casemap, string chatPath) =>
        Akka.Actor.Props.Create(() => new NickRegistry(casemap, chatPath));

    protected override void PreStart()
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.MemberRemoved));
        foreach (var member in cluster.State.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp))
            Context.ActorSelection(new RootActorPath(member.Address) / _chatPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
                .Tell(new ReassertRequest());
        _log.Info("chat: nick registry started on {Node}", cluster.SelfAddress);
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    protected override void PreRestart(Exception reason, object message) =>
        ActorNet.Supervision.CarryOver.Get(Context.System).Hand(Self, _nicks);

    protected override void PostRestart(Exception reason)
    {
        if (ActorNet.Supervision.CarryOver.Get(Context.System).TryTake<Dictionary<string, Entry>>(Self, out var nicks))
        {
            _nicks = nicks;
            _log.Warning("chat: nick registry restarted; {Count} nicks carried over", _nicks.Count);
        }
        else
        {
            PreStart();
        }
    }

    private void OnClaim(Claim c)
    {
        var granted = !_nicks.TryGetValue(c.Nick, out var e) || (e.Node == c.Node && e.Claimant == c.Claimant);
        if (granted)
        {
            // release first: a case-only change (bob -> Bob) releases and re-claims the same key
            if (c.Release is { } old && _nicks.TryGetValue(old, out var o) && o.Node == c.Node && o.Claimant == c.Claimant) _nicks.Remove(old);
            _nicks[c.Nick] = new Entry(c.Nick, c.Node, c.Claimant);
        }

        Sender.Tell(new ClaimResult(c.Id, c.Nick, c.Claimant, granted));
    }

    private void ReleaseNode(string node)
    {
        var gone = _nicks.Where(kv => kv.Value.Node == node).Select(kv => kv.Key).ToList();
        foreach (var nick in gone) _nicks.Remove(nick);
        if (gone.Count > 0) _log.Info("chat: {Count} nicks of removed member {Node} released", gone.Count, node);
    }
}
