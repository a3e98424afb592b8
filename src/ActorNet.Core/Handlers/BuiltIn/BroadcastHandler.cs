using ActorNet.Config;
using ActorNet.Framing;
using ActorNet.Transport;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using PubSub = Akka.Cluster.Tools.PublishSubscribe;
using Akka.IO;

namespace ActorNet.Handlers.BuiltIn;

/// <summary><c>handler = broadcast</c>: one <see cref="BroadcastTopic"/> service per listener.</summary>
public sealed class BroadcastHandlerFactory : IHandlerFactory
{
    public static string TopicName(string listener) => "broadcast-" + listener;

    public IEnumerable<ServiceDefinition> Services(ListenerSettings listener) =>
        [new ServiceDefinition(TopicName(listener.Name), Props.Create(() => new BroadcastTopic(listener.Name, listener.Scope)))];

    public Props CreateHandler(HandlerContext context) => ActorProducer.Props(() => new BroadcastHandler(context));

    public bool AcceptsFrameBatches => true;
}

/// <summary>Each frame from this client goes to every other client of the listener (through the topic); a client read
/// is published as one message, delivered to each member as one shared <see cref="Connection.SendBatch"/>.</summary>
public sealed class BroadcastHandler : ConnectionHandler, IAcceptsFrameBatches
{
    private readonly IActorRef _topic;

    public BroadcastHandler(HandlerContext context) : base(context)
    {
        _topic = context.Service(BroadcastHandlerFactory.TopicName(context.Listener.Name));
        Receive<FrameReceived>(frame => _topic.Tell(new BroadcastTopic.Publish(frame.Data, Handler.ConnectionActor)));
        Receive<FramesReceived>(batch => _topic.Tell(new BroadcastTopic.PublishMany(batch.Frames, Handler.ConnectionActor)));
    }

    protected override void PreStart() => _topic.Tell(new BroadcastTopic.Join(Handler.ConnectionActor));

    protected override void PostStop() => _topic.Tell(new BroadcastTopic.Leave(Handler.ConnectionActor));
}

/// <summary>
/// The members of one broadcast listener (their connection actors). A published frame is wrapped once in a
/// <see cref="Connection.Send"/> and that one message is told to every member but the sender. With
/// <c>scope = cluster</c> the frame is also published through Akka's DistributedPubSub to the same listener's topic
/// on every other member node, which delivers it to its own clients.
/// <para>A crash loses no member: the failing instance hands its members to its successor
/// (<see cref="Supervision.CarryOver"/>: no message is handled in between), so relay clients keep receiving and
/// nothing published meanwhile is dropped. Its watches and its DistributedPubSub subscription belong to the actor,
/// not the instance, and stay.</para>
/// </summary>
public sealed class BroadcastTopic : ReceiveActor
{
    /// <summary>Failing instance → its successor: the members (connection actors) it had.</summary>
    private sealed record Carried(HashSet<IActorRef> Members);

    public sealed record Join(IActorRef Member);

    public sealed record Leave(IActorRef Member);

    public sealed record Publish(ByteString Data, IActorRef From);

    /// <summary>Several frames (one client read): each member gets them as one <see cref="Connection.SendBatch"/> (the
    /// same batch for all, framed once).</summary>
    public sealed record PublishMany(IReadOnlyList<ByteString> Frames, IActorRef From);

    /// <summary>A frame published on another node (cluster scope). Crosses the network: plain data only.</summary>
    public sealed record ClusterFrame(byte[] Data, string Origin);

    /// <summary>Asks how many members the topic has; replies <see cref="MemberCount"/>.</summary>
    public sealed record GetMemberCount
    {
        public static readonly GetMemberCount Instance = new();
    }

    public sealed record MemberCount(int Count);

    private HashSet<IActorRef> _members = new();
    private readonly string _clusterTopic;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly IActorRef? _mediator;

    public BroadcastTopic(string listener, BroadcastScope scope)
    {
        _clusterTopic = "actornet.broadcast." + listener;
        if (scope == BroadcastScope.Cluster) _mediator = DistributedPubSub.Get(Context.System).Mediator;
        Receive<Join>(j =>
        {
            if (_members.Add(j.Member)) Context.Watch(j.Member);
        });
        Receive<Leave>(l => Remove(l.Member));
        Receive<Terminated>(t => Remove(t.ActorRef));
        Receive<GetMemberCount>(_ => Sender.Tell(new MemberCount(_members.Count)));
        Receive<Publish>(p =>
        {
            Deliver(new Connection.Send(p.Data), p.From);
            _mediator?.Tell(new PubSub.Publish(_clusterTopic, new ClusterFrame(p.Data.ToArray(), _origin)));
        });
        Receive<PublishMany>(p =>
        {
            Deliver(new Connection.SendBatch(new FrameBatch(p.Frames as ByteString[] ?? p.Frames.ToArray())), p.From);
            if (_mediator is null) return;
            foreach (var frame in p.Frames) // cross-node: the existing wire message, one per frame
                _mediator.Tell(new PubSub.Publish(_clusterTopic, new ClusterFrame(frame.ToArray(), _origin)));
        });
        Receive<ClusterFrame>(f =>
        {
            if (f.Origin != _origin) Deliver(new Connection.Send(ByteString.FromBytes(f.Data)), ActorRefs.Nobody);
        });
        Receive<PubSub.SubscribeAck>(_ => { });
    }

    protected override void PreStart() =>
        _mediator?.Tell(new PubSub.Subscribe(_clusterTopic, Self));

    protected override void PreRestart(Exception reason, object message) =>
        Supervision.CarryOver.Get(Context.System).Hand(Self, new Carried(_members));

    /// <summary>Not PreStart again: the subscription stays.</summary>
    protected override void PostRestart(Exception reason)
    {
        if (Supervision.CarryOver.Get(Context.System).TryTake<Carried>(Self, out var carried)) _members = carried.Members;
    }

    private void Deliver(object send, IActorRef from)
    {
        foreach (var member in _members)
            if (!member.Equals(from)) member.Tell(send, ActorRefs.NoSender);
    }

    private void Remove(IActorRef member)
    {
        if (_members.Remove(member)) Context.Unwatch(member);
    }
}
