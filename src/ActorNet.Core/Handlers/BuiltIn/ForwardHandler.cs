using ActorNet.Transport;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Handlers.BuiltIn;

/// <summary>
/// <c>handler = forward</c>: a TCP proxy. Each client gets its own <see cref="UpstreamLink"/> child connected to the
/// listener's <c>upstream</c>; frames flow both ways (with <c>framing = raw</c>, bytes pass unchanged). An upstream
/// that refuses, fails or closes closes the client (after what it sent was flushed). A handler crash keeps the
/// upstream link: it is not restarted with the handler.
/// </summary>
public sealed class ForwardHandler : ConnectionHandler, IAcceptsFrameBatches
{
    /// <summary>Bytes (one frame) from the upstream, for the client.</summary>
    public sealed record UpstreamData(ByteString Data);

    /// <summary>The frames of one upstream read, for the client.</summary>
    public sealed record UpstreamDataMany(IReadOnlyList<ByteString> Frames);

    /// <summary>The upstream link ended.</summary>
    public sealed record UpstreamClosed(string Reason);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _link = ActorRefs.Nobody;

    public ForwardHandler(HandlerContext context) : base(context)
    {
        Receive<FrameReceived>(frame => _link.Tell(new UpstreamLink.Send(frame.Data)));
        Receive<FramesReceived>(batch => _link.Tell(new UpstreamLink.SendMany(batch.Frames)));
        Receive<UpstreamData>(data => Send(data.Data));
        Receive<UpstreamDataMany>(data => SendMany(data.Frames));
        Receive<UpstreamClosed>(closed =>
        {
            _log.Info("connection {ConnectionId} on {Listener}: upstream {Upstream} closed ({Reason}); closing the client",
                Handler.Connection.Id, Handler.Listener.Name, Handler.Listener.Upstream, closed.Reason);
            Handler.ConnectionActor.Tell(new Connection.Close(DisconnectReason.UpstreamClosed, closed.Reason));
        });
    }

    protected override void PreStart()
    {
        _link = Context.Child("upstream");
        if (!_link.IsNobody()) return;
        var upstream = Handler.Listener.Upstream ?? throw new InvalidOperationException($"listener {Handler.Listener.Name} has no upstream");
        var setup = new UpstreamLink.Setup(upstream, Handler.Listener, Self, Handler.Connection.Id);
        _link = Context.ActorOf(ActorProducer.Props(() => new UpstreamLink(setup)), "upstream");
    }

    /// <summary>Keep the upstream link across a restart: the default would stop it (and drop the client's stream).</summary>
    protected override void PreRestart(Exception reason, object message)
    {
    }
}
