using ActorNet.Config;
using ActorNet.Transport;
using Akka.Actor;
using Akka.IO;

namespace ActorNet.Handlers.BuiltIn;

/// <summary><c>handler = broadcast</c>: one <see cref="BroadcastTopic"/> service per listener.</summary>
public sealed class BroadcastHandlerFactory : IHandlerFactory
{
    public static string TopicName(string listener) => "broadcast-" + listener;

    public IEnumerable<ServiceDefinition> Services(ListenerSettings listener) =>
        [new ServiceDefinition(TopicName(listener.Name), Props.Create(() => new BroadcastTopic()))];

    public Props CreateHandler(HandlerContext context) => Props.Create(() => new BroadcastHandler(context));
}

/// <summary>Each frame from this client goes to every other client of the listener (through the topic).</summary>
public sealed class BroadcastHandler : ConnectionHandler
{
    private readonly IActorRef _topic;

    public BroadcastHandler(HandlerContext context) : base(context)
    {
        _topic = context.Service(BroadcastHandlerFactory.TopicName(context.Listener.Name));
        Receive<FrameReceived>(frame => _topic.Tell(new BroadcastTopic.Publish(frame.Data, Handler.ConnectionActor)));
    }

    protected override void PreStart() => _topic.Tell(new BroadcastTopic.Join(Handler.ConnectionActor));

    protected override void PostStop() => _topic.Tell(new BroadcastTopic.Leave(Handler.ConnectionActor));
}

/// <summary>
/// The members of one broadcast listener (their connection actors). A published frame is wrapped once in a
/// <see cref="Connection.Send"/> and that one message is told to every member but the sender.
/// </summary>
public sealed class BroadcastTopic : ReceiveActor
{
    public sealed record Join(IActorRef Member);

    public sealed record Leave(IActorRef Member);

    public sealed record Publish(ByteString Data, IActorRef From);

    /// <summary>Asks how many members the topic has; replies <see cref="MemberCount"/>.</summary>
    public sealed record GetMemberCount
    {
        public static readonly GetMemberCount Instance = new();
    }

    public sealed record MemberCount(int Count);

    private readonly HashSet<IActorRef> _members = new();

    public BroadcastTopic()
    {
        Receive<Join>(j =>
        {
            if (_members.Add(j.Member)) Context.Watch(j.Member);
        });
        Receive<Leave>(l => Remove(l.Member));
        Receive<Terminated>(t => Remove(t.ActorRef));
        Receive<GetMemberCount>(_ => Sender.Tell(new MemberCount(_members.Count)));
        Receive<Publish>(p =>
        {
            var send = new Connection.Send(p.Data);
            foreach (var member in _members)
                if (!member.Equals(p.From)) member.Tell(send, ActorRefs.NoSender);
        });
    }

    private void Remove(IActorRef member)
    {
        if (_members.Remove(member)) Context.Unwatch(member);
    }
}
