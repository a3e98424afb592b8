using ActorNet.Transport;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Handlers.BuiltIn;

/// <summary>
/// <c>handler = forward</c>: a TCP proxy. Each client gets its own <see cref="UpstreamLink"/> child connected to the
/// listener's <c>upstream</c>; frames flow both ways (with <c>framing = raw</c>, bytes pass unchanged), and nothing is
/// lost to a fast side: the client is not read until the upstream is up, and its read credit (kept with
/// <see cref="ConnectionHandler.DeferCredit"/>) comes back only once the upstream's write queue is below its soft
/// limit; the upstream is read at most two reads ahead of the client connection's acknowledgements
/// (<see cref="Connection.SendAcked"/>), which it gives only below its own soft limit. The link hands its reads to the
/// client connection itself, not through this handler: two messages fewer per read on the download path, and a
/// handler crash cannot lose a read in flight. The upstream's FIN still comes here, after those reads: the link told
/// the connection first, and a local Tell is in the receiver's mailbox when it returns.
/// Half-closes pass through both ways: the client's FIN becomes ours to the upstream once everything is written, and
/// the upstream's FIN becomes ours to the client (<see cref="Connection.CloseOutput"/>) after what it sent, while the
/// client may still send; the connection closes once both sides have finished. An upstream that refuses, fails or resets closes the client.
/// A handler crash keeps the upstream link: it is not restarted with the handler.
/// </summary>
public sealed class ForwardHandler : ConnectionHandler, IAcceptsFrameBatches
{
    /// <summary>Read credit of the client that the link gives back (its frames are queued below the soft limit).</summary>
    public sealed record CreditBack(long Cost);

    /// <summary>The upstream connection is up: the client may be read.</summary>
    public sealed record UpstreamConnected
    {
        public static readonly UpstreamConnected Instance = new();
    }

    /// <summary>The upstream sent its FIN (it sends nothing more).</summary>
    public sealed record UpstreamFinished
    {
        public static readonly UpstreamFinished Instance = new();
    }

    /// <summary>The upstream link failed or was refused.</summary>
    public sealed record UpstreamClosed(string Reason);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _link = ActorRefs.Nobody;
    private bool _clientFinished, _upstreamFinished;

    public ForwardHandler(HandlerContext context) : base(context)
    {
        Receive<FrameReceived>(frame => _link.Tell(new UpstreamLink.Send(frame.Data, DeferCredit())));
        Receive<FramesReceived>(batch => _link.Tell(new UpstreamLink.SendMany(batch.Frames, DeferCredit())));
        Receive<CreditBack>(back => ReturnCredit(back.Cost));
        Receive<UpstreamConnected>(_ => ResumeInput());
        Receive<PeerHalfClosed>(_ =>
        {
            _clientFinished = true;
            _link.Tell(UpstreamLink.CloseWrite.Instance);
        });
        Receive<UpstreamFinished>(_ =>
        {
            // what the upstream sent is queued ahead of this close and is flushed before the client's FIN
            // (once both ended: the link's last writes to the upstream are done too)
            if (_clientFinished) CloseAfterHalfClose();
            else if (!_upstreamFinished) Handler.ConnectionActor.Tell(Connection.CloseOutput.Instance); // a half-close passes on
            _upstreamFinished = true;
        });
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
        PauseInput(); // the client is not read until the upstream is up (UpstreamConnected)
        var setup = new UpstreamLink.Setup(upstream, Handler.Listener, Self, Handler.ConnectionActor, Handler.Connection.Id);
        _link = Context.ActorOf(ActorProducer.Props(() => new UpstreamLink(setup)), "upstream");
    }

    /// <summary>Keep the upstream link across a restart: the default would stop it (and drop the client's stream).</summary>
    protected override void PreRestart(Exception reason, object message)
    {
    }
}
