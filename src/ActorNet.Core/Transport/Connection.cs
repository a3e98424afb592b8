using System.Text;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.Framing;
using ActorNet.Handlers;
using ActorNet.Runtime;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Transport;

/// <summary>
/// Owns one accepted TCP socket (registered with Akka.IO): framing, the bounded outbound queue with ack-based
/// coalesced writes, idle timeout, per-connection counters, and the handler child it supervises. It knows nothing of
/// the protocol. It is never restarted: on any failure it stops, and the socket closes with it.
/// States: Open → Draining (flush what is queued, then FIN) → Closing (wait for Akka.IO to confirm); a half-close of
/// our side: Open → ClosingOutput → OutputClosed → Lingering (Connection.HalfClose.cs).
/// </summary>
public sealed partial class Connection : ActorBase, IWithTimers
{
    /// <summary>Queue one frame (payload without framing) to the client.</summary>
    public sealed record Send(ByteString Payload);

    /// <summary>Queue several frames with one message (a handler answering a batch of input, a channel fanning out a
    /// batch of messages): they are framed together and leave as one write when nothing is in flight.</summary>
    public sealed record SendMany(IReadOnlyList<ByteString> Payloads);

    /// <summary>Queue several frames, then tell the sender <paramref name="Ack"/> once the write queue is below its soft
    /// limit (at once if it is): write credit for a handler that relays a stream from elsewhere (the forward
    /// handler's upstream) and must not read its source faster than the client takes it. No ack while closing.</summary>
    public sealed record SendAcked(IReadOnlyList<ByteString> Payloads, object Ack);

    /// <summary>Queue the frames of a batch shared with other connections (a fan-out), minus those at the ascending
    /// indices in <paramref name="Skip"/> (e.g. the recipient's own messages). The batch is framed once for all its
    /// recipients; each copies the runs between skipped frames as blocks.</summary>
    public sealed record SendBatch(FrameBatch Frames, int[]? Skip = null);

    /// <summary>Flush what is queued, then close gracefully.</summary>
    public sealed record Close(DisconnectReason Reason, string? Detail = null);

    /// <summary>Close at once with a TCP reset, dropping what is queued.</summary>
    public sealed record Abort(DisconnectReason Reason, string? Detail = null);

    /// <summary>From the handler: stop reading the client until <see cref="ResumeInput"/> (what is already read still
    /// arrives; the kernel's buffer and TCP's window hold the rest, so the client slows down).</summary>
    public sealed record PauseInput
    {
        public static readonly PauseInput Instance = new();
    }

    /// <summary>From the handler: read the client again (undoes <see cref="PauseInput"/>).</summary>
    public sealed record ResumeInput
    {
        public static readonly ResumeInput Instance = new();
    }

    /// <summary>From the handler: it caught up with the input it was given while reads were stopped for lack of
    /// credit (<see cref="InputCredit"/>).</summary>
    internal sealed record CreditReturned
    {
        public static readonly CreditReturned Instance = new();
    }

    /// <summary>Why reads are held back, besides the handler's credit. Any reason set: no socket read is requested.</summary>
    [Flags]
    private enum ReadPause
    {
        None = 0,
        /// <summary>The handler asked (<see cref="PauseInput"/>).</summary>
        Handler = 1,
        /// <summary>The client is not taking its output: the write queue is above the soft limit (a client that does not
        /// read its replies is not read either; the handler is told <see cref="ConnectionHandler.OutputBusy"/>).</summary>
        Output = 2,
        /// <summary>The client half-closed (sent its FIN): there is nothing more to read.</summary>
        PeerClosed = 4,
        /// <summary>An upstream toxic (latency, bandwidth) holds more than <c>input-credit-bytes</c> of the client's frames
        /// back: nothing more is read until half of that has passed on to the handler.</summary>
        Toxic = 8,
    }

    private sealed record IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }

    private sealed record CloseTimeout
    {
        public static readonly CloseTimeout Instance = new();
    }

    /// <summary>How long a graceful close may take to flush before the socket is reset.</summary>
    private TimeSpan DrainTimeout => _setup.Listener.CloseTimeout;

    private readonly ConnectionSetup _setup;
    private readonly ConnectionInfo _info;
    private ILoggingAdapter? _logger;

    /// <summary>Created on first use: an idle connection that has logged nothing holds no logger (nor its source path
    /// string), and accepting a connection does not build one.</summary>
    private ILoggingAdapter Log => _logger ??= Context.GetLogger();
    private readonly IFrameDecoder? _decoder;
    private IFrameEncoder _encoder;
    private readonly AckWriter _writer;
    private readonly List<ByteString> _frames = new();
    private readonly List<ArraySegment<byte>> _runs = new();
    private IActorRef? _handler;
    private readonly NodeRuntime _runtime = NodeRuntime.Get(Context.System);
    private readonly ConnectionCounters _counters;
    private readonly InputCredit _credit;
    private ReadPause _pauses;

    /// <summary>Acks of <see cref="SendAcked"/> held while the write queue is above its soft limit (as many as the
    /// feeders' windows: the forward handler's is two).</summary>
    private List<(IActorRef Sender, object Ack)>? _heldAcks;

    /// <summary>Pull mode: at most one socket read is requested at a time (Tcp.ResumeReading), and only while the
    /// handler has credit and nothing pauses input. True from the request until its Tcp.Received.</summary>
    private bool _readRequested;
    private long _lastReadTicks = Environment.TickCount64;
    private int _handlerRestarts;
    private State _state = State.Open.Instance;

    public Connection(ConnectionSetup setup)
    {
        _setup = setup;
        _info = setup.Info;
        _ws = CreateWebSocketCodec(setup);
        _decoder = _ws is null ? FrameCodecs.CreateDecoder(setup.Listener.Framing, setup.Listener.MaxFrameBytes) : null;
        _encoder = _ws is null ? FrameCodecs.GetEncoder(setup.Listener.Framing, setup.Listener.LineEnding) : WebSocketFrameEncoder.Text;
        _counters = new ConnectionCounters(new ConnectionStats(), _runtime.Metrics.For(setup.Info.Listener));
        _writer = new AckWriter(setup.Socket, _encoder, setup.Listener.WriteQueueLimitBytes, _counters, setup.Listener.WriteQueueSoftLimitBytes);
        _credit = new InputCredit(setup.Listener.InputCreditBytes);
        // One seeded sequence per connection, shared by both lanes, created only if a toxic ever draws from it.
        var seed = unchecked(_runtime.ToxicSeed * 31 + (int)setup.Info.Id);
        Random? random = null;
        Func<Random> randomSource = () => random ??= new Random(seed);
        _up = new ToxicLane(randomSource);
        _down = new ToxicLane(randomSource);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private ListenerSettings Listener => _setup.Listener;

    private ConnectionStats Stats => _counters.Stats;

    /// <summary>Close or Abort was sent to Akka.IO (or is held back by a slow-close toxic): nothing more may be written.</summary>
    private bool SocketClosing => _state is State.Closing or State.SlowClosing or State.Stopped;

    protected override void PreStart()
    {
        Context.Watch(_setup.Socket);
        _counters.Opened();
        // keepOpenOnPeerClosed: a client's FIN is a half-close (PeerHalfClosed to the handler, which may still answer)
        _setup.Socket.Tell(new Tcp.Register(Self, keepOpenOnPeerClosed: true, useResumeWriting: true));
        if (_setup.Rejected is { } rejected)
        {
            Log.Warning("connection {ConnectionId} on {Listener} from {Remote} refused: {Reason}", _info.Id, _info.Listener, _info.Remote, rejected.ToString());
            if (Listener.Tls is not null) { } // no handshake for a refused connection, so nothing readable to tell it
            else if (_ws is not null) WriteRaw(WebSocketHandshake.ErrorResponse(503, "Service Unavailable", "too many connections"));
            else SendErrorFrame(rejected, "too many connections");
            BeginClose(rejected, "limit reached");
            return;
        }

        // Debug, not Info: at 10,000 connects the open line was a measurable share of the accept cost (docs/bench-results/
        // mem-2026-11-24.txt); the Info close line below carries the whole life (id, remote, open duration, reason, bytes).
        Log.Debug("connection {ConnectionId} opened on {Listener} from {Remote}", _info.Id, _info.Listener, _info.Remote);
        _runtime.Connections.Add(new ConnectionEntry(_info, Self, Stats));
        _runtime.Events.ConnectionOpened(_info); // nothing is built while no one listens
        ApplyToxics();
        var tls = StartTls(); // a TLS connection's handler starts once the TLS handshake succeeded
        if (_ws is not null) StartHandshakeTimer(); // a websocket handler starts once the handshake is accepted
        else if (!tls) StartHandler();
        RequestRead(); // the listener binds in pull mode: nothing is read before this
        if (Listener.IdleTimeout > TimeSpan.Zero)
            Timers.StartSingleTimer(IdleCheck.Instance, IdleCheck.Instance, Listener.IdleTimeout);
    }

    private void StartHandler()
    {
        _handler = Context.ActorOf(_setup.Handler.CreateHandler(new HandlerContext(_info, Listener, Self, _setup.Services) { Credit = _credit, Tls = _tls?.Session }), "handler");
        Context.Watch(_handler);
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        _setup.Supervision.HandlerMaxRestarts,
        (int)_setup.Supervision.HandlerRestartWindow.TotalMilliseconds,
        ex =>
        {
            _handlerRestarts++;
            _counters.HandlerRestarted();
            _runtime.Events.Publish(new ActorFailed(DateTimeOffset.UtcNow, ActorCrash.PathOf(Self) + "/handler", "restart", ex.Message));
            // the new incarnation knows nothing of a pause its predecessor asked for
            _pauses &= ~ReadPause.Handler;
            RequestRead();
            Log.Warning(ex is InjectedFaultException ? null : ex, "handler of connection {ConnectionId} on {Listener} failed ({Restarts} so far, budget {Budget} per {Window}): {Error}",
                _info.Id, _info.Listener, _handlerRestarts, _setup.Supervision.HandlerMaxRestarts, _setup.Supervision.HandlerRestartWindow, ex.Message);
            return Directive.Restart;
        },
        loggingEnabled: false);

    // ---------------------------------------------------------------------------------------------------------------
    // The state machine. The behaviours are plain switches (ActorBase), not ReceiveActor's Receive<T> tables: those
    // are built per instance (a delegate, a handler entry and a compiled matcher per message type), a measurable share
    // of each accepted connection's CPU and memory (docs/BENCHMARKS.md).
    // ---------------------------------------------------------------------------------------------------------------

    protected override bool Receive(object message) => Open(message) || OnTlsMessage(message);

    /// <summary>Switches to <paramref name="state"/> and its behaviour (which closes over the state's context).</summary>
    private void Enter(State state)
    {
        _state = state;
        switch (state)
        {
            case State.Draining d:
                Become(m => Draining(m, d.Outcome) || OnTlsMessage(m));
                ReadOn();
                break;
            case State.SlowClosing s: Become(m => SlowClosing(m, s.Outcome)); break;
            case State.Closing c:
                Become(m => Closing(m, c));
                if (c.UntilPeerCloses) ReadOn();
                break;
            case State.ClosingOutput or State.OutputClosed: Become(m => HalfOpen(m) || OnTlsMessage(m)); break;
            case State.Lingering: Become(Lingering); break;
            case State.Stopped: Become(_ => true); break;
        }
    }

    /// <summary>Normal life: frames flow both ways.</summary>
    private bool Open(object message)
    {
        switch (message)
        {
            case Tcp.Received r: OnReceived(r); return true;
            case Send s: SendDown(s.Payload); return true;
            case SendMany m: OnSendMany(m.Payloads); return true;
            case SendAcked a: OnSendAcked(a); return true;
            case SendBatch b: OnSendBatch(b.Frames, b.Skip); return true;
            case AckWriter.Ack: OnAck(); return true;
            case CreditReturned: RequestRead(); return true;
            case PauseInput: _pauses |= ReadPause.Handler; return true;
            case ResumeInput:
                _pauses &= ~ReadPause.Handler;
                RequestRead();
                return true;
            case Kill k: OnKill(k); return true;
            case ToxicsChanged: ApplyToxics(); return true;
            case LaneTick t: OnLaneTick(t); return true;
            case ToxicTimeoutDue: OnToxicTimeout(); return true;
            case Close c:
                if (c.Reason is DisconnectReason.Shutdown or DisconnectReason.Killed)
                    SendErrorFrame(c.Reason, c.Reason == DisconnectReason.Shutdown ? "server shutting down" : "killed: " + c.Detail);
                BeginClose(c.Reason, c.Detail);
                return true;
            case CloseOutput: OnCloseOutput(); return true;
            case Abort a: AbortNow(a.Reason, a.Detail); return true;
            case IdleCheck: OnIdleCheck(); return true;
            case HandshakeTimedOut: OnHandshakeTimeout(); return true;
            case Terminated t: OnTerminated(t); return true;
            case Tcp.PeerClosed:
                _readRequested = false;
                if (_tls is not null) OnTlsSocketEnded();
                else OnPeerHalfClosed();
                return true;
            case Tcp.ConnectionClosed c: OnClosedBySocket(c); return true;
            case Tcp.CommandFailed f: OnCommandFailed(f); return true;
            default: return false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The data path. Client → handler: OnReceived → (websocket codec | frame decoder) → DeliverUp → upstream toxic
    // lane → handler. Handler → client: SendDown → downstream toxic lane → Enqueue → AckWriter → socket. TLS sits
    // between the socket and the framing (Connection.Tls.cs): under DecodeAndDeliver on the way in, under the
    // AckWriter on the way out (its Sink).
    // ---------------------------------------------------------------------------------------------------------------

    private void OnReceived(Tcp.Received received)
    {
        _readRequested = false;
        CountIn(received.Data.Count);
        if (_tls is not null)
        {
            OnTlsCiphertext(received.Data); // the next read is requested once the layer took this one
            return;
        }

        DecodeAndDeliver(received.Data);
        if (ReadsFlow) RequestRead();
    }

    /// <summary>The client sent its FIN (Akka.IO keeps the socket open for writing): what a toxic still holds goes up
    /// first, then the handler is told <see cref="ConnectionHandler.PeerHalfClosed"/> and may keep writing; it closes
    /// the connection when it is done (by default at once, after the queued output).</summary>
    private void OnPeerHalfClosed()
    {
        _pauses |= ReadPause.PeerClosed;
        FlushUpLane();
        if (_state is not State.Open) return;
        if (_handler is null)
        {
            BeginClose(DisconnectReason.ClientClosed, null);
            return;
        }

        _handler.Tell(ConnectionHandler.PeerHalfClosed.Instance, Self);
    }

    /// <summary>Requests the next socket read (Akka.IO pull mode: one read per Tcp.ResumeReading) unless one is
    /// requested already, something pauses input, or the handler is out of credit (it wakes us with
    /// <see cref="CreditReturned"/> once it caught up). One message per read, none per frame.</summary>
    private void RequestRead()
    {
        if (_tls is not null)
        {
            RequestTlsReads();
            return;
        }

        if (_readRequested || _pauses != ReadPause.None || !_credit.MayRead()) return;
        _readRequested = true;
        _setup.Socket.Tell(Tcp.ResumeReading.Instance);
    }

    /// <summary>While closing: read on regardless of credit (input is discarded), so that the client's FIN is seen and
    /// unread input does not turn the close into a reset.</summary>
    private void ReadOn()
    {
        if (_readRequested) return;
        _readRequested = true;
        _setup.Socket.Tell(Tcp.ResumeReading.Instance);
    }

    /// <summary>Plain bytes from the client, through the framing, to the handler.</summary>
    private void DecodeAndDeliver(ByteString data)
    {
        if (_ws is not null)
        {
            OnWebSocketBytes(data);
            return;
        }

        _frames.Clear();
        // frames are zero-copy slices of the read (Akka.IO hands each read over as a fresh, immutable ByteString)
        var status = _decoder!.Decode(data, _frames);
        _counters.FramesIn(_frames.Count);
        bool delivered = DeliverUp(_frames);
        _frames.Clear();
        if (!delivered) return; // a toxic reset the connection

        switch (status)
        {
            case DecodeStatus.FrameTooLong:
                Log.Warning("connection {ConnectionId} on {Listener} from {Remote} sent a frame over {MaxFrameBytes} bytes",
                    _info.Id, _info.Listener, _info.Remote, Listener.MaxFrameBytes);
                SendErrorFrame(DisconnectReason.FrameTooLong, $"frame too long (max {Listener.MaxFrameBytes} bytes)");
                BeginClose(DisconnectReason.FrameTooLong, $"max {Listener.MaxFrameBytes} bytes");
                break;
            case DecodeStatus.InvalidLength:
                Log.Warning("connection {ConnectionId} on {Listener} from {Remote} sent an invalid length prefix", _info.Id, _info.Listener, _info.Remote);
                BeginClose(DisconnectReason.MalformedFrame, "invalid length prefix");
                break;
        }
    }

    private void CountIn(int bytes)
    {
        _counters.BytesIn(bytes);
        _lastReadTicks = Environment.TickCount64;
    }

    /// <summary>The frames of one read, client → handler: one message for the whole read (<see cref="ConnectionHandler.FramesReceived"/>)
    /// when the handler accepts batches and no upstream toxic is active; otherwise frame by frame (through the upstream
    /// lane). False when a toxic reset the connection.</summary>
    private bool DeliverUp(List<ByteString> frames)
    {
        if (frames.Count == 0) return true;
        if (frames.Count == 1) return DeliverUp(frames[0]);
        if (_up.IsPassThrough && _setup.Handler.AcceptsFrameBatches)
        {
            if (_handler is null) return true;
            long bytes = 0;
            foreach (var frame in frames) bytes += frame.Count;
            _credit.Delivered(InputCredit.Cost(frames.Count, bytes));
            _handler.Tell(new ConnectionHandler.FramesReceived(frames.ToArray()), Self);
            return true;
        }

        foreach (var frame in frames)
            if (!DeliverUp(frame)) return false;
        return true;
    }

    /// <summary>One frame, client → handler; through the upstream toxic lane when it has toxics. False when a toxic
    /// reset the connection.</summary>
    private bool DeliverUp(ByteString frame)
    {
        if (!_up.IsPassThrough) return OfferUp(frame);
        PassUp(frame);
        return true;
    }

    /// <summary>The end of the upstream path: the frame reaches the handler.</summary>
    private void PassUp(ByteString frame)
    {
        if (_handler is null) return;
        _credit.Delivered(InputCredit.Cost(1, frame.Count));
        _handler.Tell(new ConnectionHandler.FrameReceived(frame), Self);
    }

    /// <summary>One frame, handler → client; through the downstream toxic lane when it has toxics.</summary>
    private void SendDown(ByteString payload)
    {
        if (_down.IsPassThrough) Enqueue(payload);
        else OfferDown(payload);
    }

    private void OnSendAcked(SendAcked acked)
    {
        OnSendMany(acked.Payloads);
        if (_state is not State.Open) return;
        if ((_pauses & ReadPause.Output) == 0) Sender.Tell(acked.Ack, Self);
        else (_heldAcks ??= new List<(IActorRef, object)>()).Add((Sender, acked.Ack)); // released below the soft limit
    }

    private void OnSendMany(IReadOnlyList<ByteString> many)
    {
        if (!_down.IsPassThrough)
        {
            foreach (var payload in many)
            {
                if (_state is not State.Open) return;
                SendDown(payload);
            }

            return;
        }

        var payloads = many;
        for (var i = 0; i < payloads.Count; i++)
            if (!Enqueue(payloads[i], defer: true)) return; // over the limit: the connection is closing
        _writer.Flush();
        UpdateQueued();
    }

    private void OnSendBatch(FrameBatch batch, int[]? skip)
    {
        if (!_down.IsPassThrough)
        {
            foreach (var payload in batch.PayloadsExcept(skip))
            {
                if (_state is not State.Open) return;
                SendDown(payload);
            }

            return;
        }

        // The runs between skipped frames, framed once for every recipient of the batch: sent as they are when
        // nothing is in flight (no copy at all), else block copies into the pending buffer.
        var encoded = batch.EncodedWith(_encoder);
        try
        {
            var frames = FramesOnWire(batch, encoded, skip, encoded.Runs(skip, _runs));
            if (frames == 0) return; // all of it skipped (or empty raw frames: nothing to put on the wire)
            if (!_writer.TryWriteAsIs(_runs))
            {
                foreach (var run in _runs)
                {
                    if (_writer.Enqueue(run, RawFrameEncoder.Instance, defer: true) != OutboundQueue.Result.LimitExceeded) continue;
                    CutSlowConsumer();
                    return;
                }

                _writer.Flush();
            }

            _counters.FramesOut(frames);
            UpdateQueued();
        }
        finally
        {
            _runs.Clear(); // it points into the batch: an idle connection must not keep the batch alive
        }
    }

    /// <summary>Frames of a batch this connection puts on the wire: the <paramref name="notSkipped"/> ones, except
    /// that raw framing sends nothing for an empty payload and does not count it (as <see cref="Enqueue"/>).</summary>
    private static int FramesOnWire(FrameBatch batch, FrameBatch.Encoded encoded, int[]? skip, int notSkipped) =>
        ReferenceEquals(encoded.Encoder, RawFrameEncoder.Instance)
            ? batch.IndicesExcept(skip).Count(i => encoded.Ends[i] > encoded.Start(i))
            : notSkipped;

    /// <param name="raw">already framed (websocket handshake and control frames): sent as is, not counted as a frame</param>
    /// <param name="defer">frame into the pending buffer even when idle; the caller flushes (<see cref="OnSendMany"/>)</param>
    /// <returns>false when the queue limit was exceeded (the connection is now closing)</returns>
    private bool Enqueue(ByteString payload, bool raw = false, bool defer = false)
    {
        if (payload.IsEmpty && (raw || (Listener.Framing == FramingKind.Raw && _ws is null))) return true; // nothing to put on the wire
        // A handler's payload is immutable: with raw framing it is written as it is, no copy (AckWriter.Enqueue).
        var result = raw ? _writer.Enqueue(payload.ToReadOnlySpan(), RawFrameEncoder.Instance, defer) : _writer.Enqueue(payload, _encoder, defer);
        switch (result)
        {
            case OutboundQueue.Result.WriteNow:
                if (!raw) _counters.FramesOut(1);
                if (!defer) UpdateQueued();
                break;
            case OutboundQueue.Result.Queued:
                if (!raw) _counters.FramesOut(1);
                UpdateQueued();
                break;
            case OutboundQueue.Result.LimitExceeded:
                CutSlowConsumer();
                return false;
        }

        return true;
    }

    /// <summary>The write queue limit was exceeded: drop what the client has not taken, tell it why, and close (while
    /// already closing: reset).</summary>
    private void CutSlowConsumer()
    {
        if (_state is not State.Open)
        {
            AbortNow(DisconnectReason.SlowConsumer, "write queue limit exceeded while closing");
            return;
        }

        Log.Warning("connection {ConnectionId} on {Listener} from {Remote} is a slow consumer: {QueuedBytes} bytes queued, limit {LimitBytes}",
            _info.Id, _info.Listener, _info.Remote, _writer.TotalQueuedBytes, Listener.WriteQueueLimitBytes);
        _counters.SlowConsumerCut();
        // If even the error line cannot leave, the drain timeout resets the connection.
        _writer.DropPending();
        SendErrorFrame(DisconnectReason.SlowConsumer, "slow consumer: write queue limit exceeded");
        BeginClose(DisconnectReason.SlowConsumer, $"write queue over {Listener.WriteQueueLimitBytes} bytes");
    }

    private void OnAck()
    {
        _writer.OnAck();
        UpdateQueued();
    }

    /// <summary>Publishes the queued bytes and applies the soft limit (<c>write-queue-soft-limit-bytes</c>): above it
    /// input pauses and the handler is told <see cref="ConnectionHandler.OutputBusy"/> (a 1:1 handler pauses whatever
    /// feeds it); at half of it input resumes and the handler is told <see cref="ConnectionHandler.OutputReady"/>. Only
    /// the hard limit cuts (<see cref="CutSlowConsumer"/>): what fan-out producers, who never pause, run into.</summary>
    private void UpdateQueued()
    {
        _counters.Queued(_writer.TotalQueuedBytes + _down.QueuedBytes);
        switch (_writer.UpdateWatermark(_down.QueuedBytes))
        {
            case WriteWatermark.Transition.Paused:
                _pauses |= ReadPause.Output;
                _handler?.Tell(ConnectionHandler.OutputBusy.Instance, Self);
                break;
            case WriteWatermark.Transition.Resumed:
                _pauses &= ~ReadPause.Output;
                if (!ReadsFlow) return;
                _handler?.Tell(ConnectionHandler.OutputReady.Instance, Self);
                if (_heldAcks is { Count: > 0 })
                {
                    foreach (var (sender, ack) in _heldAcks) sender.Tell(ack, Self);
                    _heldAcks.Clear();
                }

                RequestRead();
                break;
        }
    }

    /// <summary>The client's last frame before the connection closes it: the handler's protocol error if it has
    /// one, else a plain error line for line framing, else nothing.</summary>
    private void SendErrorFrame(DisconnectReason reason, string message)
    {
        FlushDownLane();
        if (_ws is { HandshakeCompleted: false }) return; // no frames before the handshake
        if (_tls is { Established: false }) return; // nor before the TLS handshake
        var frame = _setup.Handler.ErrorFrame(reason, message);
        if (frame is null && Listener.Framing == FramingKind.Line && _ws is null)
            frame = ByteString.FromBytes(Encoding.UTF8.GetBytes("error: " + message));
        if (frame is not null) Enqueue(frame);
    }

    private void OnIdleCheck()
    {
        // not reading because input is held back (credit, pause): the client is not idle; after its FIN it may be
        if (!_readRequested && (_pauses & ReadPause.PeerClosed) == 0) _lastReadTicks = Environment.TickCount64;
        var idleFor = TimeSpan.FromMilliseconds(Environment.TickCount64 - _lastReadTicks);
        if (idleFor >= Listener.IdleTimeout)
        {
            Log.Info("connection {ConnectionId} on {Listener} idle for {IdleFor}", _info.Id, _info.Listener, idleFor);
            SendErrorFrame(DisconnectReason.IdleTimeout, "idle timeout");
            BeginClose(DisconnectReason.IdleTimeout, $"no input for {Listener.IdleTimeout}");
        }
        else
        {
            Timers.StartSingleTimer(IdleCheck.Instance, IdleCheck.Instance, Listener.IdleTimeout - idleFor);
        }
    }
}
