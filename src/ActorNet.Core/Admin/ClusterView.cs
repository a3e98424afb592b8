using Akka.Actor;
using Akka.Cluster;

namespace ActorNet.Admin;

/// <summary>One member of the cluster as the admin endpoint shows it.</summary>
/// <param name="Connections">its open connections, asked of that member's admin actor; null when it did not answer in time</param>
public sealed record ClusterMemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, string? Node, int? Connections);

/// <summary>What <c>GET /cluster</c> returns: this node's view of Akka.Cluster membership.</summary>
public sealed record ClusterViewData(bool Enabled, string? Self, string? Leader, IReadOnlyList<ClusterMemberView> Members);

/// <summary>Reads Akka.Cluster's state (no state of ActorNet's own) and asks every reachable member's admin actor for
/// its node name and connection count. Runs outside actors (the HTTP endpoint), so Ask is fine here.</summary>
public static class ClusterView
{
    public static async Task<ClusterViewData> DescribeAsync(ActorSystem system, TimeSpan timeout)
    {
        if (system is not ExtendedActorSystem extended || extended.Provider is not Akka.Cluster.ClusterActorRefProvider)
            return new ClusterViewData(false, null, null, []);

        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = state.Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal).ToList();
        var summaries = await Task.WhenAll(members.Select(async m =>
        {
            if (unreachable.Contains(m.Address)) return null;
            try
            {
                var admin = system.ActorSelection(new RootActorPath(m.Address) / "user" / ActorNetNode.GuardianName / "admin");
                return await admin.Ask<AdminActor.NodeSummary>(AdminActor.GetNodeSummary.Instance, timeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                return null;
            }
        })).ConfigureAwait(false);

        var views = members.Select((m, i) => new ClusterMemberView(
            m.Address.ToString(), m.Status.ToString(), m.Roles.Order(StringComparer.Ordinal).ToList(),
            !unreachable.Contains(m.Address), summaries[i]?.Node, summaries[i]?.Connections)).ToList();
        return new ClusterViewData(true, cluster.SelfAddress.ToString(), state.Leader?.ToString(), views);
    }
}
