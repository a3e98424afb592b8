using ActorNet.Runtime;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorNet.Supervision;

/// <summary>/user/actornet/cluster (cluster mode only): logs every membership and reachability change, so an
/// operator can follow joins, losses and the split-brain resolver's decisions in the node's log.</summary>
public sealed class ClusterMonitor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly NodeEvents _events = NodeEvents.Get(Context.System);

    public ClusterMonitor()
    {
        Receive<ClusterEvent.MemberUp>(e => Log("up", e.Member));
        Receive<ClusterEvent.MemberJoined>(e => Log("joining", e.Member));
        Receive<ClusterEvent.MemberLeft>(e => Log("leaving", e.Member));
        Receive<ClusterEvent.MemberExited>(e => Log("exited", e.Member));
        Receive<ClusterEvent.MemberRemoved>(e => Log("removed (was " + e.PreviousStatus + ")", e.Member));
        Receive<ClusterEvent.UnreachableMember>(e =>
        {
            _log.Warning("cluster member {Member} is unreachable", e.Member.Address);
            Publish("unreachable", e.Member);
        });
        Receive<ClusterEvent.ReachableMember>(e =>
        {
            _log.Info("cluster member {Member} is reachable again", e.Member.Address);
            Publish("reachable", e.Member);
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    protected override void PreStart()
    {
        _log.Info("cluster: this node is {Self}, joining through seed nodes", _cluster.SelfAddress);
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Log(string what, Member member)
    {
        _log.Info("cluster member {Member} {Status} (roles: {Roles})", member.Address, what, string.Join(",", member.Roles));
        Publish(what, member);
    }

    private void Publish(string status, Member member) =>
        _events.Publish(new ClusterMemberChanged(DateTimeOffset.UtcNow, member.Address.ToString(), status));
}
