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
/// States: Connecting → Connected → (Fail: stopped).
/// </summary>
public sealed partial class UpstreamLink : ReceiveActor
{
    /// <param name="Upstream">where to connect</param>
    /// <param name="Listener">framing and limits (the client's listener)</param>
    /// <param name="Owner">the forward handler: told UpstreamData, UpstreamConnected/Busy/Ready/Finished and UpstreamClosed</param>
    /// <param name="ConnectionId">the client connection served; names the link <c>upstream-ID</c> in the link registry</param>
    public sealed record Setup(HostPort Upstream, ListenerSettings Listener, IActorRef Owner, long ConnectionId = 0)
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
    private readonly List<ByteString> _beforeConnect = new();
    private readonly List<ByteString> _frames = new();
    private long _beforeConnectBytes;
    private long _heldCredit;
    private int _unacked;
    private bool _readRequested, _closeWrite;

    public UpstreamLink(Setup setup)
    {
        _setup = setup;
        _decoder = FrameCodecs.CreateDecoder(setup.Listener.Framing, setup.Listener.MaxFrameBytes);
        _encoder = FrameCodecs.GetEncoder(setup.Listener.Framing, setup.Listener.LineEnding);
        _writer = new AckWriter(null, _encoder, setup.Listener.WriteQueueLimitBytes, softLimitBytes: setup.Listener.WriteQueueSoftLimitBytes);
        Connecting();
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
    private void Connecting()
    {
        Receive<Tcp.Connected>(_ =>
        {
            var socket = Sender;
            socket.Tell(new Tcp.Register(Self, keepOpenOnPeerClosed: true));
            _writer.Socket = socket;
            if (_setup.Listener.UpstreamTls is { } tls)
            {
                StartTls(socket, tls); // the link is up once the handshake succeeded (LinkUp)
                return;
            }

            LinkUp(socket);
        });
        Receive<Tcp.CommandFailed>(failed => Fail($"connect to {_setup.Upstream} failed: {failed.CauseString}"));
        Receive<Kill>(kill => Fail("killed: " + kill.Detail));
        HoldSends();
    }

    /// <summary>Connected (and, with upstream-tls, the handshake done): what was held goes out, the owner is told.</summary>
    private void LinkUp(IActorRef socket)
    {
        Become(() => Connected(socket));
        foreach (var frame in _beforeConnect)
            if (!Enqueue(socket, frame)) return;
        _beforeConnect.Clear();
        _setup.Owner.Tell(ForwardHandler.UpstreamConnected.Instance);
        CheckWatermark(); // gives back the credit held while connecting, unless already over the soft limit
        RequestRead(socket);
        if (_closeWrite) MaybeCloseWrite(socket);
    }

    /// <summary>Until the link is up: frames (and a half-close) from the client are held.</summary>
    private void HoldSends()
    {
        Receive<Send>(send =>
        {
            _heldCredit += send.Credit;
            HoldUntilConnected(send.Data);
        });
        Receive<SendMany>(many =>
        {
            _heldCredit += many.Credit;
            foreach (var frame in many.Frames)
                if (!HoldUntilConnected(frame)) return;
        });
        Receive<CloseWrite>(_ => _closeWrite = true);
    }

    /// <returns>false when too much is held (the link failed)</returns>
    private bool HoldUntilConnected(ByteString frame)
    {
        _beforeConnectBytes += frame.Count;
        if (_beforeConnectBytes > _setup.Listener.WriteQueueLimitBytes)
        {
            Fail($"more than {_setup.Listener.WriteQueueLimitBytes} bytes queued while connecting");
            return false;
        }

        _beforeConnect.Add(frame);
        return true;
    }

    private void Connected(IActorRef socket)
    {
        Context.Watch(socket);
        if (_tls is not null) ReceiveTls(socket);
        Receive<Send>(send =>
        {
            if (Enqueue(socket, send.Data)) GiveBack(send.Credit);
        });
        Receive<SendMany>(many =>
        {
            foreach (var frame in many.Frames)
                if (!Enqueue(socket, frame, defer: true)) return;
            _writer.Flush();
            CheckWatermark();
            GiveBack(many.Credit);
        });
        Receive<Kill>(kill =>
        {
            socket.Tell(Tcp.Abort.Instance);
            Fail("killed: " + kill.Detail);
        });
        Receive<AckWriter.Ack>(_ =>
        {
            _writer.OnAck();
            CheckWatermark();
            if (_closeWrite) MaybeCloseWrite(socket);
        });
        Receive<Tcp.Received>(received =>
        {
            _readRequested = false;
            if (_tls is not null)
            {
                _tls.Receive(received.Data); // the next socket read once the layer took it (CiphertextTaken)
                return;
            }

            if (Deliver(socket, received.Data)) RequestRead(socket);
        });
        Receive<Delivered>(_ =>
        {
            _unacked--;
            RequestRead(socket);
        });
        Receive<CloseWrite>(_ =>
        {
            _closeWrite = true;
            MaybeCloseWrite(socket);
        });
        // keepOpenOnPeerClosed: the upstream's FIN; we may still write (the client's half goes on)
        Receive<Tcp.PeerClosed>(_ =>
        {
            _readRequested = false;
            if (_tls is not null) _tls.OnSocketEnded(); // finished once the layer's plaintext ends
            else _setup.Owner.Tell(ForwardHandler.UpstreamFinished.Instance);
        });
        Receive<Tcp.ConfirmedClosed>(_ => Finish());
        Receive<Tcp.ConnectionClosed>(closed => Fail("upstream connection " + closed.GetType().Name));
        Receive<Tcp.CommandFailed>(failed => Fail("write to upstream failed: " + failed.CauseString));
        Receive<Terminated>(_ => Fail("upstream socket stopped"));
    }

    /// <summary>One read at a time, and only while fewer than <see cref="ReadWindow"/> reads wait for the client.</summary>
    private void RequestRead(IActorRef socket)
    {
        if (_tls is not null)
        {
            RequestTlsReads(socket);
            return;
        }

        if (_readRequested || _unacked >= ReadWindow) return;
        _readRequested = true;
        socket.Tell(Tcp.ResumeReading.Instance);
    }

    /// <summary>The client half-closed: FIN to the upstream once all it sent is written; Akka.IO reads on until the
    /// upstream's FIN (ConfirmedClosed).</summary>
    private void MaybeCloseWrite(IActorRef socket)
    {
        if (_writer.WriteInFlight) return;
        if (_tls is not null && !TlsClosedForWriting()) return; // close_notify first; back here once it left
        _closeWrite = false;
        socket.Tell(Tcp.ConfirmedClose.Instance);
    }

    /// <summary>The soft limit of the upstream's write queue (the same <see cref="WriteWatermark"/> as a client
    /// connection's): while paused the client's credit is held (so the client is not read further), once it flows
    /// again what was held goes back.</summary>
    private void CheckWatermark()
    {
        _writer.UpdateWatermark();
        if (_writer.Watermark.Paused || _heldCredit == 0) return;
        _setup.Owner.Tell(new ForwardHandler.CreditBack(_heldCredit));
        _heldCredit = 0;
    }

    private void GiveBack(long credit)
    {
        if (credit == 0) return;
        if (_writer.Watermark.Paused)
        {
            _heldCredit += credit;
            return;
        }

        _setup.Owner.Tell(new ForwardHandler.CreditBack(credit));
    }

    /// <summary>Frames of one upstream read (plain bytes) to the client connection; false when the link failed.</summary>
    private bool Deliver(IActorRef socket, ByteString data)
    {
        _frames.Clear();
        var status = _decoder.Decode(data, _frames); // zero-copy slices of the immutable read
        if (_frames.Count > 0)
        {
            _unacked++;
            _setup.Owner.Tell(new ForwardHandler.UpstreamData(_frames.ToArray()));
        }

        if (status == DecodeStatus.Ok) return true;
        socket.Tell(Tcp.Abort.Instance);
        Fail($"upstream sent a bad frame ({status})");
        return false;
    }

    /// <param name="defer">frame into the pending buffer even when idle; the caller flushes</param>
    /// <returns>false when the queue limit was exceeded (the link failed)</returns>
    private bool Enqueue(IActorRef socket, ByteString data, bool defer = false)
    {
        if (data.IsEmpty && _setup.Listener.Framing == FramingKind.Raw) return true;
        if (_writer.Enqueue(data.ToReadOnlySpan(), defer: defer) != OutboundQueue.Result.LimitExceeded)
        {
            if (!defer) CheckWatermark();
            return true;
        }

        socket.Tell(Tcp.Abort.Instance);
        Fail($"upstream is too slow: more than {_setup.Listener.WriteQueueLimitBytes} bytes queued");
        return false;
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
        NodeRuntime.Get(Context.System).Links.Remove(_setup.LinkName, Self);
        _decoder.Dispose();
        _tls?.Dispose();
        _writer.Dispose();
    }
}
