using ActorNet.Faults;
using ActorNet.Runtime;
using Akka.Actor;

namespace ActorNet.Admin;

/// <summary>
/// The control plane from outside the actors (HTTP endpoint, ActorNet.Testing, tests): asks /user/actornet/admin and
/// reads the <see cref="NodeRuntime"/> registries directly. Thread-safe.
/// </summary>
public sealed class NodeControl
{
    /// <summary>Path of the admin actor.</summary>
    public const string AdminPath = "/user/" + ActorNetNode.GuardianName + "/admin";

    private readonly ActorSystem _system;
    private readonly TimeSpan _timeout;

    public NodeControl(ActorSystem system, TimeSpan? timeout = null)
    {
        _system = system;
        _timeout = timeout ?? TimeSpan.FromSeconds(5);
        Runtime = NodeRuntime.Get(system);
    }

    public NodeRuntime Runtime { get; }

    /// <summary>The node's ActorSystem (e.g. to materialize <see cref="NodeEvents.Subscribe"/>).</summary>
    public ActorSystem System => _system;

    /// <summary>This node's view of the cluster (members, status, roles, connections per node).</summary>
    public Task<ClusterViewData> ClusterAsync() => ClusterView.DescribeAsync(_system, TimeSpan.FromSeconds(2));

    public Task<AdminResult> KillConnectionAsync(long id, KillMode mode) => Ask(new AdminActor.KillConnection(id, mode));

    public Task<AdminResult> KillListenerAsync(string name) => Ask(new AdminActor.KillListener(name));

    public Task<AdminResult> KillLinkAsync(string name) => Ask(new AdminActor.KillLink(name));

    /// <summary>Crash the actor at <paramref name="path"/> (under /user/actornet) through its supervisor.</summary>
    public Task<AdminResult> CrashAsync(string path) => Ask(new AdminActor.CrashActor(path));

    public Task<AdminResult> AddToxicAsync(ToxicSpec toxic) => Ask(new FaultInjector.AddToxic(toxic));

    public Task<AdminResult> RemoveToxicAsync(string name) => Ask(new FaultInjector.RemoveToxic(name));

    public Task<AdminResult> ListToxicsAsync() => Ask(FaultInjector.ListToxics.Instance);

    public Task<AdminResult> StartChaosAsync(ChaosMonkey.Start start) => Ask(start);

    public Task<AdminResult> StopChaosAsync() => Ask(ChaosMonkey.Stop.Instance);

    public Task<AdminResult> ChaosStatusAsync() => Ask(ChaosMonkey.GetStatus.Instance);

    /// <summary>Re-read the configuration and apply it (or, dryRun, only say what would change).</summary>
    public Task<AdminResult> ReloadAsync(bool dryRun, string requestedBy, ConfigReloadSource? from = null) => Ask(new ConfigReloader.Reload(dryRun, requestedBy, from));

    /// <summary>The live supervisor tree under /user/actornet.</summary>
    public async Task<TreeNode> TreeAsync() => (TreeNode)(await Ask(AdminActor.GetTree.Instance).ConfigureAwait(false)).Data!;

    public Task<AdminResult> Ask(object command) =>
        _system.ActorSelection(AdminPath).Ask<AdminResult>(command, _timeout);
}
