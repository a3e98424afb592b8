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
/// framing both ways, the same ack-based writer (<see cref="AckWriter"/>) and write-queue limit as client connections. Frames sent
/// before the connection is up are queued (within the limit). States: Connecting → Connected → Closing.
/// </summary>
public sealed class UpstreamLink : ReceiveActor
{
    /// <param name="Upstream">where to connect</param>
    /// <param name="Listener">framing and limits (the client's listener)</param>
    /// <param name="Owner">the forward handler: told UpstreamData and UpstreamClosed</param>
    /// <param name="ConnectionId">the client connection served; names the link <c>upstream-ID</c> in the link registry</param>
    public sealed record Setup(HostPort Upstream, ListenerSettings Listener, IActorRef Owner, long ConnectionId = 0)
    {
        /// <summary>The link's name in <see cref="LinkRegistry"/> (admin: POST /links/NAME/kill).</summary>
        public string LinkName => "upstream-" + ConnectionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Drop the link at once (fault injection): the socket is reset and the owner told UpstreamClosed.</summary>
    public sealed record Kill(string Detail);

    /// <summary>A frame for the upstream.</summary>
    public sealed record Send(ByteString Data);

    /// <summary>Several frames for the upstream (one client read): framed together, one write when none is in flight.</summary>
    public sealed record SendMany(IReadOnlyList<ByteString> Frames);

    private readonly Setup _setup;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IFrameDecoder _decoder;
    private readonly IFrameEncoder _encoder;
    private readonly AckWriter _writer;
    private readonly List<ByteString> _beforeConnect = new();
    private readonly List<ByteString> _frames = new();
    private long _beforeConnectBytes;

    public UpstreamLink(Setup setup)
    {
        _setup = setup;
        _decoder = FrameCodecs.CreateDecoder(setup.Listener.Framing, setup.Listener.MaxFrameBytes);
        _encoder = FrameCodecs.GetEncoder(setup.Listener.Framing, setup.Listener.LineEnding);
        _writer = new AckWriter(null, _encoder, setup.Listener.WriteQueueLimitBytes);
        Connecting();
    }

    protected override void PreStart()
    {
        EndPoint remote = IPAddress.TryParse(_setup.Upstream.Host.Trim('[', ']'), out var ip)
            ? new IPEndPoint(ip, _setup.Upstream.Port)
            : new DnsEndPoint(_setup.Upstream.Host, _setup.Upstream.Port);
        Context.System.Tcp().Tell(new Tcp.Connect(remote, null, [], _setup.Listener.ConnectTimeout, false));
        NodeRuntime.Get(Context.System).Links.Add(new LinkEntry(_setup.LinkName, "upstream", _setup.ConnectionId, _setup.Upstream.ToString(), Self));
    }

    private void Connecting()
    {
        Receive<Tcp.Connected>(_ =>
        {
            var socket = Sender;
            socket.Tell(new Tcp.Register(Self));
            _writer.Socket = socket;
            Become(() => Connected(socket));
            foreach (var frame in _beforeConnect) Enqueue(socket, frame);
            _beforeConnect.Clear();
        });
        Receive<Tcp.CommandFailed>(failed => Fail($"connect to {_setup.Upstream} failed: {failed.CauseString}"));
        Receive<Kill>(kill => Fail("killed: " + kill.Detail));
        Receive<Send>(send => HoldUntilConnected(send.Data));
        Receive<SendMany>(many =>
        {
            foreach (var frame in many.Frames)
                if (!HoldUntilConnected(frame)) return;
        });
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
        Receive<Send>(send => Enqueue(socket, send.Data));
        Receive<SendMany>(many =>
        {
            foreach (var frame in many.Frames)
                if (!Enqueue(socket, frame, defer: true)) return;
            _writer.Flush();
        });
        Receive<Kill>(kill =>
        {
            socket.Tell(Tcp.Abort.Instance);
            Fail("killed: " + kill.Detail);
        });
        Receive<AckWriter.Ack>(_ => _writer.OnAck());
        Receive<Tcp.Received>(received =>
        {
            _frames.Clear();
            var status = _decoder.Decode(received.Data, _frames); // zero-copy slices of the immutable read
            if (_frames.Count == 1) _setup.Owner.Tell(new ForwardHandler.UpstreamData(_frames[0]));
            else if (_frames.Count > 1) _setup.Owner.Tell(new ForwardHandler.UpstreamDataMany(_frames.ToArray()));
            if (status != DecodeStatus.Ok)
            {
                socket.Tell(Tcp.Abort.Instance);
                Fail($"upstream sent a bad frame ({status})");
            }
        });
        Receive<Tcp.ConnectionClosed>(closed => Fail(closed is Tcp.PeerClosed ? "upstream closed" : "upstream connection " + closed.GetType().Name));
        Receive<Tcp.CommandFailed>(failed => Fail("write to upstream failed: " + failed.CauseString));
        Receive<Terminated>(_ => Fail("upstream socket stopped"));
    }

    /// <param name="defer">frame into the pending buffer even when idle; the caller flushes</param>
    /// <returns>false when the queue limit was exceeded (the link failed)</returns>
    private bool Enqueue(IActorRef socket, ByteString data, bool defer = false)
    {
        if (data.IsEmpty && _setup.Listener.Framing == FramingKind.Raw) return true;
        if (_writer.Enqueue(data.ToReadOnlySpan(), defer: defer) != OutboundQueue.Result.LimitExceeded) return true;
        socket.Tell(Tcp.Abort.Instance);
        Fail($"upstream is too slow: more than {_setup.Listener.WriteQueueLimitBytes} bytes queued");
        return false;
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
        _writer.Dispose();
    }
}
