using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorNet.Chat.Cluster;

/// <summary>
/// The cluster-wide nick registry: one instance in the cluster (a cluster singleton under every node's chat service,
/// reached through a singleton proxy), so every claim is decided in one place, one after the other: two clients
/// racing for one nick on two nodes get exactly one owner. An entry names the owner's node and its claimant (the
/// session's actor path). When a member is removed from the cluster, its nicks are released. A new instance (after a
/// hand-over) starts empty and asks every member's chat service to re-assert its nicks.
/// </summary>
public sealed class NickRegistry : ReceiveActor
{
    private sealed record Entry(string Nick, Address Node, string Claimant);

    private readonly Dictionary<string, Entry> _nicks;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _chatPath;

    public NickRegistry(IEqualityComparer<string> casemap, string chatPath)
    {
        _nicks = new Dictionary<string, Entry>(casemap);
        _chatPath = chatPath;
        Receive<NickClaim>(OnClaim);
        Receive<NickRelease>(r =>
        {
            if (_nicks.TryGetValue(r.Nick, out var e) && e.Node.Equals(r.Node) && e.Claimant == r.Claimant) _nicks.Remove(r.Nick);
        });
        Receive<NickReassert>(r =>
        {
            foreach (var held in r.Nicks)
                if (!_nicks.ContainsKey(held.Nick)) _nicks[held.Nick] = new Entry(held.Nick, r.Node, held.Claimant);
        });
        Receive<NickOwnerQuery>(g => Sender.Tell(new NickOwner(g.Nick, _nicks.TryGetValue(g.Nick, out var e) ? e.Node : null)));
        Receive<ClusterEvent.MemberRemoved>(m => ReleaseNode(m.Member.Address));
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
                .Tell(NickReassertRequest.Instance);
        _log.Info("chat: nick registry started on {Node}", cluster.SelfAddress);
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

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
