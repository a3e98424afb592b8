using ActorNet.Handlers;
using ActorNet.Runtime;
using Akka.Actor;

namespace ActorNet.Supervision;

/// <summary>
/// Parent of the node's shared, long-lived actors (/user/actornet/services/&lt;name&gt;): relay topics, the chat
/// server, stores of custom handlers. Creates them all at start and tells its parent <see cref="ServicesReady"/>
/// with their refs, so listeners start only once every service exists. A failing service is restarted.
/// </summary>
public sealed class ServicesSupervisor : ReceiveActor
{
    /// <summary>Told to the parent once every service actor exists.</summary>
    public sealed record ServicesReady(IReadOnlyDictionary<string, IActorRef> Services);

    private readonly IReadOnlyList<ServiceDefinition> _definitions;

    public ServicesSupervisor(IReadOnlyList<ServiceDefinition> definitions) => _definitions = definitions;

    /// <summary>Akka's default decisions (restart; stop on initialization failures), each one reported as a node event.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new ObservedStrategy(NodeEvents.Get(Context.System), Akka.Actor.SupervisorStrategy.DefaultDecider);

    protected override void PreStart()
    {
        var services = new Dictionary<string, IActorRef>(StringComparer.Ordinal);
        foreach (var definition in _definitions)
        {
            if (services.ContainsKey(definition.Name)) continue;
            services[definition.Name] = Context.ActorOf(definition.Props, definition.Name);
        }

        Context.Parent.Tell(new ServicesReady(services));
    }
}
