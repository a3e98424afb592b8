using System.Net;
using ActorNet.Config;
using ActorNet.Framing;
using ActorNet.Runtime;
using ActorNet.Transport;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Handlers.BuiltIn;

/// <summary>
/// One outbound TCP connection (Akka.IO Tcp.Connect) owned by a <see cref="ForwardHandler"/>. Uses the listener's
/// framing both ways, the same ack-based writer (<see cref="AckWriter"/>) and limits as client connections, and the
/// same flow control, strictly bounded both ways. Upstream → client: reads are pulled (one Tcp.ResumeReading per
/// read) and at most <see cref="ReadWindow"/> reads are on their way to the client connection, which acknowledges
/// each once its write queue is below the soft limit (<see cref="Delivered"/>). Client → upstream: the client's read
/// credit travels with the frames and comes back (<see cref="ForwardHandler.CreditBack"/>) once they are queued here
/// below the soft limit, held while above it (and while connecting), so the client is read at most
/// <c>input-credit-bytes</c> ahead of this queue. Half-closes pass through: <see cref="CloseWrite"/> sends our FIN once
/// everything is written (reading on), and the upstream's FIN is <see cref="ForwardHandler.UpstreamFinished"/>.
/// States (behaviours that carry their context, no flags): Connecting(held) → [Handshaking(link, held), upstream-tls]
/// → Connected(link) → Draining(link): the client half-closed, our FIN waits for the writes → OutputClosed(link): FIN
/// sent, reading on until the upstream's → stopped (Finish, or Fail from any state).
/// </summary>
public sealed partial class UpstreamLink : ReceiveActor
{
    /// <param name="Upstream">where to connect</param>
    /// <param name="Listener">framing and limits (the client's listener)</param>
    /// <param name="Owner">the forward handler: told UpstreamConnected, CreditBack, UpstreamFinished and UpstreamClosed</param>
    /// <param name="Client">the client connection: given each upstream read as <see cref="Connection.SendAcked"/>, acked with <see cref="Delivered"/></param>
    /// <param name="ConnectionId">the client connection served; names the link <c>upstream-ID</c> in the link registry</param>
    public sealed record Setup(HostPort Upstream, ListenerSettings Listener, IActorRef Owner, IActorRef Client, long ConnectionId = 0)
    {
        /// <summary>The link's name in <see cref="LinkRegistry"/> (admin: POST /links/NAME/kill).</summary>
        public string LinkName => "upstream-" + ConnectionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Drop the link at once (fault injection): the socket is reset and the owner told UpstreamClosed.</summary>
    public sealed record Kill(string Detail);

    /// <summary>A frame for the upstream; <paramref name="Credit"/>: the client's read credit it carries (given back
    /// once queued below the soft limit).</summary>
    public sealed record Send(ByteString Data, long Credit = 0);

    /// <summary>Several frames for the upstream (one client read): framed together, one write when none is in flight.</summary>
    public sealed record SendMany(IReadOnlyList<ByteString> Frames, long Credit = 0);

    /// <summary>The client connection took one upstream read (its write queue is below the soft limit).</summary>
    public sealed record Delivered
    {
        public static readonly Delivered Instance = new();
    }

    /// <summary>Most upstream reads on their way to the client at once (two: the next read overlaps the hand-over of
    /// the last).</summary>
    public const int ReadWindow = 2;

    /// <summary>The client half-closed: send the upstream our FIN once everything queued is written, and read on.</summary>
    public sealed record CloseWrite
    {
        public static readonly CloseWrite Instance = new();
    }

    private readonly Setup _setup;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IFrameDecoder _decoder;
    private readonly IFrameEncoder _encoder;
    private readonly AckWriter _writer;
    private readonly List<ByteString> _frames = new();

    /// <summary>The upstream socket while it is open (from Tcp.Connected until it reports its end). Why: Akka.IO's
    /// connection does not always close when the link stops; after our FIN (ConfirmedClose) it can outlive the link,
    /// unread, and the upstream then blocks on a full window forever, so PostStop resets a socket still open here.</summary>
    private IActorRef? _socket;

    /// <summary>The context of Connecting and Handshaking: what the client sent before the link was up.</summary>
    private sealed class Held
    {
        public readonly List<ByteString> Frames = new();
        public long Bytes;

        /// <summary>The client's read credit those frames carried (given back once they are queued for the upstream).</summary>
        public long Credit;

        /// <summary>The client half-closed meanwhile: the link drains as soon as it is up.</summary>
        public bool CloseWrite;
    }

    /// <summary>The context of every state with a socket: the socket, its read side (pull mode) and the client's
    /// credit held back by the write queue's soft limit.</summary>
    private sealed class Link(IActorRef socket)
    {
        public IActorRef Socket { get; } = socket;

        /// <summary>A Tcp.ResumeReading is outstanding: until its Tcp.Received (or the upstream's FIN).</summary>
        public bool ReadRequested;

        /// <summary>Upstream reads on their way to the client, not yet <see cref="Delivered"/> (at most <see cref="ReadWindow"/>).</summary>
        public int Unacked;

        /// <summary>Client credit held while the upstream's write queue is paused (<see cref="AckWriter.Watermark"/>).</summary>
        public long HeldCredit;
    }

    public UpstreamLink(Setup setup)
    {
        _setup = setup;
        _decoder = FrameCodecs.CreateDecoder(setup.Listener.Framing, setup.Listener.MaxFrameBytes);
        _encoder = FrameCodecs.GetEncoder(setup.Listener.Framing, setup.Listener.LineEnding);
        _writer = new AckWriter(null, _encoder, setup.Listener.WriteQueueLimitBytes, softLimitBytes: setup.Listener.WriteQueueSoftLimitBytes);
        Connecting(new Held());
    }

    protected override void PreStart()
    {
        EndPoint remote = IPAddress.TryParse(_setup.Upstream.Host.Trim('[', ']'), out var ip)
            ? new IPEndPoint(ip, _setup.Upstream.Port)
            : new DnsEndPoint(_setup.Upstream.Host, _setup.Upstream.Port);
        var connect = new Tcp.Connect(remote, null, [], _setup.Listener.ConnectTimeout, pullMode: true);
        // the listener's io-buffer-bytes for the upstream side too (reads of a download)
        if (_setup.Listener.IoBufferBytes > 0)
            connect.TcpSettings = Context.System.WithExtension<TcpExt, Tcp>().Settings with { MaxFrameSizeBytes = _setup.Listener.IoBufferBytes };
        Context.System.Tcp().Tell(connect);
        NodeRuntime.Get(Context.System).Links.Add(new LinkEntry(_setup.LinkName, "upstream", _setup.ConnectionId, _setup.Upstream.ToString(), Self));
    }

    /// <summary>The owner keeps the client unread until the link is up, so what is held here is at most the one read
    /// that was under way (bounded by the write-queue limit all the same).</summary>
    private void Connecting(Held held)
    {
        Receive<Tcp.Connected>(_ =>
        {
            var link = new Link(Sender);
            _socket = link.Socket;
            link.Socket.Tell(new Tcp.Register(Self, keepOpenOnPeerClosed: true));
            _writer.Socket = link.Socket;
            if (_setup.Listener.UpstreamTls is { } tls)
            {
                StartTls(link, held, tls); // the link is up once the handshake succeeded (LinkUp)
                return;
            }

            LinkUp(link, held);
        });
        Receive<Tcp.CommandFailed>(failed => Fail($"connect to {_setup.Upstream} failed: {ConnectFailure(failed)}"));
        Receive<Kill>(kill => Fail("killed: " + kill.Detail));
        HoldSends(held);
    }

    /// <summary>Akka.IO 1.5 reports every failed connect (refused, unreachable, reset) with one generic exception and
    /// no socket error, which read as a bug in the log ("finishConnect never returned true"); say what it means.</summary>
    internal static string ConnectFailure(Tcp.CommandFailed failed)
    {
        var cause = failed.Cause.HasValue ? failed.Cause.Value.Message : failed.CauseString.Trim();
        return cause.Contains("finishConnect never returned true", StringComparison.Ordinal)
            ? "nothing accepted it (refused or unreachable)"
            : cause;
    }

    /// <summary>Connected (and, with upstream-tls, the handshake done): what was held goes out, the owner is told.</summary>
    private void LinkUp(Link link, Held held)
    {
        Context.Watch(link.Socket);
        Become(() => Connected(link));
        foreach (var frame in held.Frames)
            if (!Enqueue(link, frame)) return;
        _setup.Owner.Tell(ForwardHandler.UpstreamConnected.Instance);
        GiveBack(link, held.Credit); // held back again if the held frames already filled the queue past its soft limit
        RequestRead(link);
        if (held.CloseWrite) Drain(link);
    }

    /// <summary>Until the link is up: frames (and a half-close) from the client are held.</summary>
    private void HoldSends(Held held)
    {
        Receive<Send>(send =>
        {
            held.Credit += send.Credit;
            HoldUntilConnected(held, send.Data);
        });
        Receive<SendMany>(many =>
        {
            held.Credit += many.Credit;
            foreach (var frame in many.Frames)
                if (!HoldUntilConnected(held, frame)) return;
        });
        Receive<CloseWrite>(_ => held.CloseWrite = true);
    }

    /// <returns>false when too much is held (the link failed)</returns>
    private bool HoldUntilConnected(Held held, ByteString frame)
    {
        held.Bytes += frame.Count;
        if (held.Bytes > _setup.Listener.WriteQueueLimitBytes)
        {
            Fail($"more than {_setup.Listener.WriteQueueLimitBytes} bytes queued while connecting");
            return false;
        }

        held.Frames.Add(frame);
        return true;
    }

    /// <summary>Frames flow both ways.</summary>
    private void Connected(Link link)
    {
        Receive<CloseWrite>(_ => Drain(link));
        ReceiveSends(link);
        Receive<AckWriter.Ack>(_ => OnAck(link));
        ReceiveSocket(link);
    }

    /// <summary>The client half-closed: what it sent is written, then our FIN (after close_notify with TLS).</summary>
    private void Drain(Link link)
    {
        if (TryCloseWrite(link)) return;
        Become(() => Draining(link));
    }

    /// <summary>Waiting for the last writes (and close_notify) to leave before our FIN; the upstream is read on.</summary>
    private void Draining(Link link)
    {
        ReceiveSends(link); // none should come after the client's FIN; if one does, it is written before ours
        Receive<AckWriter.Ack>(_ =>
        {
            OnAck(link);
            TryCloseWrite(link);
        });
        ReceiveSocket(link, afterTlsWrite: () => TryCloseWrite(link));
    }

    /// <summary>Our FIN is sent: the upstream's half goes on until its FIN (Tcp.ConfirmedClosed).</summary>
    private void OutputClosed(Link link)
    {
        Receive<AckWriter.Ack>(_ => _writer.OnAck());
        ReceiveSocket(link);
    }

    /// <summary>Everything the client sent is written (and, with TLS, close_notify has left): sends our FIN, enters
    /// OutputClosed and returns true. Else false (back here on the next ack or ciphertext write).</summary>
    private bool TryCloseWrite(Link link)
    {
        if (_writer.WriteInFlight) return false;
        if (_tls is not null && !TlsClosedForWriting()) return false;
        link.Socket.Tell(Tcp.ConfirmedClose.Instance);
        Become(() => OutputClosed(link));
        return true;
    }

    /// <summary>The client's frames, for the upstream (Connected, Draining).</summary>
    private void ReceiveSends(Link link)
    {
        Receive<Send>(send =>
        {
            if (Enqueue(link, send.Data)) GiveBack(link, send.Credit);
        });
        Receive<SendMany>(many =>
        {
            foreach (var frame in many.Frames)
                if (!Enqueue(link, frame, defer: true)) return;
            _writer.Flush();
            CheckWatermark(link);
            GiveBack(link, many.Credit);
        });
    }

    /// <summary>The socket's side, in every connected state: reads, the upstream's FIN, the end, a kill.</summary>
    /// <param name="afterTlsWrite">upstream-tls: called after the layer wrote ciphertext (Draining: maybe our FIN now)</param>
    private void ReceiveSocket(Link link, Action? afterTlsWrite = null)
    {
        if (_tls is not null) ReceiveTls(link, afterTlsWrite);
        Receive<Kill>(kill =>
        {
            link.Socket.Tell(Tcp.Abort.Instance);
            Fail("killed: " + kill.Detail);
        });
        Receive<Tcp.Received>(received =>
        {
            link.ReadRequested = false;
            if (_tls is not null)
            {
                if (_tls.Receive(received.Data)) RequestTlsReads(link); // else once the layer took it (CiphertextTaken)
                return;
            }

            if (Deliver(link, received.Data)) RequestRead(link);
        });
        Receive<Delivered>(_ =>
        {
            link.Unacked--;
            RequestRead(link);
        });
        // keepOpenOnPeerClosed: the upstream's FIN; we may still write (the client's half goes on)
        Receive<Tcp.PeerClosed>(_ =>
        {
            link.ReadRequested = false;
            if (_tls is not null) _tls.OnSocketEnded(); // finished once the layer's plaintext ends
            else _setup.Owner.Tell(ForwardHandler.UpstreamFinished.Instance);
        });
        Receive<Tcp.ConfirmedClosed>(_ =>
        {
            _socket = null;
            Finish();
        });
        Receive<Tcp.ConnectionClosed>(closed =>
        {
            _socket = null;
            Fail("upstream connection " + closed.GetType().Name);
        });
        Receive<Tcp.CommandFailed>(failed => Fail("write to upstream failed: " + failed.CauseString));
        Receive<Terminated>(_ =>
        {
            _socket = null;
            Fail("upstream socket stopped");
        });
    }

    /// <summary>Both directions ended cleanly (our FIN and the upstream's).</summary>
    private void Finish()
    {
        _log.Debug("upstream link to {Upstream} finished", _setup.Upstream);
        _setup.Owner.Tell(ForwardHandler.UpstreamFinished.Instance);
        Become(() => ReceiveAny(_ => { }));
        Context.Stop(Self);
    }

    private void Fail(string reason)
    {
        _log.Debug("upstream link to {Upstream} ended: {Reason}", _setup.Upstream, reason);
        _setup.Owner.Tell(new ForwardHandler.UpstreamClosed(reason));
        Become(() => ReceiveAny(_ => { }));
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        // A link stopped with its socket open (its client is gone) resets it now.
        if (_socket is { } socket) socket.Tell(Tcp.Abort.Instance);
        NodeRuntime.Get(Context.System).Links.Remove(_setup.LinkName, Self);
        _decoder.Dispose();
        _tls?.Dispose();
        _writer.Dispose();
    }
}
