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

    /// <summary>A reload added listeners: create the services they need that do not exist yet (existing ones keep
    /// their state), then reply <see cref="ServicesReady"/> with all of them.</summary>
    public sealed record EnsureServices(IReadOnlyList<ServiceDefinition> Definitions);

    private readonly IReadOnlyList<ServiceDefinition> _definitions;
    private readonly Dictionary<string, IActorRef> _services = new(StringComparer.Ordinal);

    public ServicesSupervisor(IReadOnlyList<ServiceDefinition> definitions)
    {
        _definitions = definitions;
        Receive<EnsureServices>(ensure =>
        {
            Create(ensure.Definitions);
            Sender.Tell(new ServicesReady(new Dictionary<string, IActorRef>(_services)));
        });
    }

    /// <summary>Akka's default decisions (restart; stop on initialization failures), each one reported as a node event.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new ObservedStrategy(NodeEvents.Get(Context.System), Akka.Actor.SupervisorStrategy.DefaultDecider);

    protected override void PreStart()
    {
        Create(_definitions);
        Context.Parent.Tell(new ServicesReady(new Dictionary<string, IActorRef>(_services)));
    }

    private void Create(IEnumerable<ServiceDefinition> definitions)
    {
        foreach (var definition in definitions)
            if (!_services.ContainsKey(definition.Name))
                _services[definition.Name] = Context.ActorOf(definition.Props, definition.Name);
    }
}
