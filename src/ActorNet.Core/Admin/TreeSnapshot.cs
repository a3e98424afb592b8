using ActorNet.Runtime;
using Akka.Actor;

namespace ActorNet.Admin;

/// <summary>One live actor of the node's supervisor tree.</summary>
/// <param name="Path">actor path without the address, e.g. /user/actornet/listeners/echo/c-42</param>
/// <param name="Name">actor name</param>
/// <param name="Kind">the actor's class (TcpListener, Connection, EchoHandler, ...)</param>
/// <param name="Restarts">handler restarts (for a connection's handler) or re-creations (for a listener)</param>
/// <param name="Children">its children, by name</param>
public sealed record TreeNode(string Path, string Name, string Kind, long Restarts, IReadOnlyList<TreeNode> Children)
{
    /// <summary>This actor and all below it.</summary>
    public int Count => 1 + Children.Sum(c => c.Count);

    /// <summary>Every node of the subtree, depth first.</summary>
    public IEnumerable<TreeNode> Flatten() => Children.SelectMany(c => c.Flatten()).Prepend(this);
}

/// <summary>Walks the live actor tree (children of local actors, read from their cells: no messages).</summary>
public static class TreeSnapshot
{
    public static TreeNode Take(IActorRef root, NodeRuntime runtime) => Walk(root, runtime, null);

    private static TreeNode Walk(IActorRef actor, NodeRuntime runtime, string? parentName)
    {
        var name = actor.Path.Name;
        var kind = "?";
        IReadOnlyList<IActorRef> children = [];
        if (actor is ActorRefWithCell withCell)
        {
            kind = withCell.Underlying.Props?.Type?.Name ?? "?";
            children = withCell.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal).ToList();
        }

        long restarts = 0;
        if (name == "handler" && parentName is not null && parentName.StartsWith("c-", StringComparison.Ordinal)
            && long.TryParse(parentName.AsSpan(2), out var id) && runtime.Connections.TryGet(id, out var entry))
            restarts = entry.Stats.HandlerRestarts;
        else if (parentName == "listeners")
            restarts = runtime.Metrics.For(name).BindRetries;

        var path = "/" + string.Join('/', actor.Path.Elements);
        return new TreeNode(path, name, kind, restarts, children.Select(c => Walk(c, runtime, name)).ToList());
    }
}
