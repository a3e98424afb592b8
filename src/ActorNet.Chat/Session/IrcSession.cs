using System.Net;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Server;
using ActorNet.Chat.Settings;
using ActorNet.Handlers;
using ActorNet.Supervision;
using ActorNet.Transport;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Chat.Session;

/// <summary>What every session of a listener shares: settings, clock and the server's start time.</summary>
public sealed record IrcRuntime(ChatSettings Settings, TimeProvider Time, DateTimeOffset Created)
{
    /// <summary>Failed OPER attempts per client address, shared by every session of the node (thread-safe, bounded).</summary>
    public ActorNet.Security.FailureThrottle OperThrottle { get; init; } = new(Settings.OperThrottle, Time);
}

/// <summary>
/// The handler of one IRC connection. Parses each line, runs the pure <see cref="CommandCore"/> and carries out the
/// effects in order: replies to its connection, requests to the chat service (one at a time: later input waits for
/// the answer, so replies keep the order of commands), ERROR and close. Flood control is a token bucket whose lines
/// over it wait ("fakelag", <see cref="HeldInput"/>): once flood.max-queued lines are held the connection stops reading
/// the client, so a burst of any length runs at the flood rate, in order; <c>ERROR :Excess Flood</c> only when more than
/// flood.max-held-bytes arrived that could not be paused. A half-close (the client's FIN) is a QUIT once every line
/// sent before it has run and its replies are queued.
/// <para>Fast path: PRIVMSG/NOTICE to a channel the session has joined go straight to that channel's actor (its ref
/// came with the JOIN), not through the node-wide chat service, and up to <c>actornet.chat.max-pipelined</c> of them to the
/// same channel may be in flight at once (one sender, one receiver: their order is kept). Anything else waits until
/// they are all completed, so replies still keep the order of commands.</para>
/// A crash loses nothing: the failing instance hands its state, the lines it holds (with their read credit), the
/// effects it had pending and what it was waiting for to its successor (<see cref="CarryOver"/>: no message is handled
/// in between), so the frames and chat events already in the mailbox are handled by the successor as they would have
/// been — the session and its channels agree on membership after the crash.
/// </summary>
public sealed partial class IrcSession : ConnectionHandler, IWithTimers, IAcceptsFrameBatches
{
    /// <summary>Failing instance → its successor. The queues change owner (the predecessor is gone).</summary>
    private sealed record Carried(
        SessionState State,
        IActorRef Server,
        HeldInput Input,
        LinkedList<Effect> Pending,
        TokenBucket Bucket,
        (bool Awaiting, int InFlight, IActorRef? PipeTo) Requests,
        Dictionary<string, IActorRef> Channels,
        (bool Closing, bool PingSent, bool PeerClosed, long LastInput) Link,
        long SaveSeq);

    internal sealed record FloodTick
    {
        public static readonly FloodTick Instance = new();
    }

    internal sealed record PingTick
    {
        public static readonly PingTick Instance = new();
    }

    internal sealed record RegistrationTimeout
    {
        public static readonly RegistrationTimeout Instance = new();
    }

    internal sealed record RequestTimeout
    {
        public static readonly RequestTimeout Instance = new();
    }

    private readonly IrcRuntime _rt;
    /// <summary>The chat service at first; its <c>users</c> child once that answered (no forwarding hop from then on).</summary>
    private IActorRef _server;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private HeldInput _input;
    private LinkedList<Effect> _pending = new();
    private TokenBucket _bucket;
    private SessionState _state;
    private bool _awaiting, _closing, _pingSent, _peerClosed;
    private long _lastInput;
    private long _saveSeq; // numbers SaveState: users ignores one that arrives after a newer one (see SaveState)

    /// <summary>The actor of each joined channel (folded name), learnt from its JoinedEvent; watched.</summary>
    private Dictionary<string, IActorRef> _channelActors = new(StringComparer.Ordinal);
    private readonly string _chanTypes;
    private IActorRef? _pipeTo;
    private int _inFlight;

    /// <summary>labeled-response: the label of the command being run and the lines it produced so far (null: none).
    /// Meanwhile the session gives itself as the connection of its requests, so what the chat service sends for them
    /// comes here; when the command is done the lines leave labeled (<see cref="LabeledResponse"/>).</summary>
    private string? _label;
    private List<ByteString>? _labeled;
    private long _batchSeq;

    /// <summary>Where the chat service sends the replies to the current command: the session while a label collects.</summary>
    private IActorRef ReplyTo => _label is null ? Handler.ConnectionActor : Self;

    public IrcSession(HandlerContext context, IrcRuntime runtime) : base(context)
    {
        _rt = runtime;
        _server = context.Service(IrcHandlerFactory.ServiceName);
        _chanTypes = runtime.Settings.ISupport.ChanTypes;
        _state = SessionState.Connected(HostOf(context.Connection.Remote)) with
        {
            Secure = context.Tls is not null,
            CertFp = context.Tls?.ClientCertificateFingerprint,
            Sts = Sts.Value(runtime.Settings, context.Listener),
        };
        _lastInput = Time.GetTimestamp();
        _bucket = new TokenBucket(Settings.Flood.Burst, Settings.Flood.PerSecond, _lastInput);
        _input = new HeldInput(Settings.Flood.MaxQueued, Settings.Flood.MaxHeldBytes);
        Ready();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private ChatSettings Settings => _rt.Settings;

    private TimeProvider Time => _rt.Time;

    private ChatView View => new(Settings, Time.GetUtcNow(), _rt.Created);

    /// <summary>A new connection: nothing to recover.</summary>
    protected override void PreStart() => BecomeReady(pump: true);

    /// <summary>The crash: hand everything to the successor (see the class summary); the held lines keep their read
    /// credit, which comes back as they run.</summary>
    protected override void PreRestart(Exception reason, object message) =>
        CarryOver.Get(Context.System).Hand(Self, new Carried(_state, _server, _input, _pending, _bucket, (_awaiting, _inFlight, _pipeTo),
            _channelActors, (_closing, _pingSent, _peerClosed, _lastInput), _saveSeq));

    /// <summary>After a crash: take over from the predecessor (not PreStart: nothing starts afresh).</summary>
    protected override void PostRestart(Exception reason)
    {
        if (!CarryOver.Get(Context.System).TryTake<Carried>(Self, out var h))
        {
            BecomeReady(pump: true);
            return;
        }

        (_state, _server, _input, _pending, _bucket, _channelActors) = (h.State, h.Server, h.Input, h.Pending, h.Bucket, h.Channels);
        (_awaiting, _inFlight, _pipeTo) = h.Requests;
        (_closing, _pingSent, _peerClosed, _lastInput) = h.Link;
        _saveSeq = h.SaveSeq; // users ignores saves numbered below what it has taken
        _log.Warning("session of connection {ConnectionId} restarted; carried over {Nick} on {Channels} channel(s), {Lines} held line(s), {Effects} pending effect(s)",
            Handler.Connection.Id, _state.NickOrStar, _channelActors.Count, _input.Count, _pending.Count);
        if (_input.Paused) PauseInput(); // the connection lifted our pause when it restarted us; the held lines still hold it
        if (_awaiting || _inFlight > 0) Timers.StartSingleTimer(RequestTimeout.Instance, RequestTimeout.Instance, Settings.RequestTimeout);
        BecomeReady(pump: false);
        Self.Tell(FloodTick.Instance); // runs the held lines, after what is already in the mailbox
    }

    private void BecomeReady(bool pump)
    {
        if (!_state.Registered) Timers.StartSingleTimer(RegistrationTimeout.Instance, RegistrationTimeout.Instance, Settings.RegistrationTimeout);
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(200).Ticks, Math.Min(Settings.PingInterval.Ticks, Settings.PingTimeout.Ticks) / 2));
        Timers.StartPeriodicTimer(PingTick.Instance, PingTick.Instance, tick);
        Become(Ready);
        if (pump) Pump();
    }

    private void Ready()
    {
        Receive<FrameReceived>(f => OnFrame(f.Data, pump: true));
        Receive<FramesReceived>(f => OnFrames(f.Frames, pump: true));
        Receive<PeerHalfClosed>(_ =>
        {
            _peerClosed = true;
            Pump();
        });
        Receive<ChatEvent>(OnEvent);
        Receive<ActorNet.Admin.AdminResult>(OnRehashed);
        Receive<Terminated>(OnChannelGone);
        Receive<FloodTick>(_ => Pump());
        Receive<Connection.Send>(OnReplyLine);
        Receive<Connection.SendMany>(many =>
        {
            foreach (var payload in many.Payloads) OnReplyLine(new Connection.Send(payload));
        });
        Receive<PingTick>(_ => OnPingTick());
        Receive<RegistrationTimeout>(_ =>
        {
            if (!_state.Registered && !_closing) Commit(CommandCore.RegistrationTimedOut(_state, View));
        });
        Receive<RequestTimeout>(_ =>
        {
            if (!_awaiting && _inFlight == 0) return;
            _log.Warning("connection {ConnectionId}: the chat service did not answer within {Timeout}", Handler.Connection.Id, Settings.RequestTimeout);
            _awaiting = false;
            _inFlight = 0;
            Drain();
            Pump();
        });
    }

    /// <summary>Holds one line until it may run; at flood.max-queued held lines the connection's input pauses. More
    /// than flood.max-held-bytes held (input read before the pause took effect) is a flood.</summary>
    private void OnFrame(ByteString data, bool pump)
    {
        var credited = DeferCredit() > 0; // each held line keeps its share until it runs
        Hold(data, credited);
        if (pump) Pump();
    }

    /// <summary>The lines of one read: held together, then run.</summary>
    private void OnFrames(IReadOnlyList<ByteString> frames, bool pump)
    {
        var credited = DeferCredit() > 0;
        for (var i = 0; i < frames.Count; i++) Hold(frames[i], credited);
        if (pump) Pump();
    }

    private void Hold(ByteString data, bool credited)
    {
        _lastInput = Time.GetTimestamp();
        _pingSent = false;
        var credit = credited ? InputCredit.Cost(1, data.Count) : 0; // a read's cost is the sum of its lines' costs
        if (_closing)
        {
            ReturnCredit(credit);
            return;
        }

        switch (_input.Add(data, credit))
        {
            case HeldInput.Verdict.Pause:
                PauseInput();
                break;
            case HeldInput.Verdict.Flood:
                _log.Info("connection {ConnectionId} ({Nick}) flooded: {Queued} lines ({Bytes} bytes) held back, limit {MaxHeldBytes} bytes",
                    Handler.Connection.Id, _state.NickOrStar, _input.Count, _input.Bytes, _input.MaxBytes);
                ReturnCredit(credit);
                CloseWith(DisconnectReason.Flood, "Excess Flood");
                return;
        }
    }

    /// <summary>Runs held lines while nothing is awaited and the bucket has tokens; after a half-close, QUITs once
    /// everything before it has run.</summary>
    private void Pump()
    {
        while (!_closing && !_awaiting && _pending.Count == 0 && _label is null && _input.Count > 0)
        {
            var now = Time.GetTimestamp();
            if (!_bucket.TryTake(now, Time))
            {
                Timers.StartSingleTimer(FloodTick.Instance, FloodTick.Instance, _bucket.UntilNext(now, Time) + TimeSpan.FromMilliseconds(1));
                return;
            }

            _input.TryTake(out var line, out var credit, out var resume);
            ReturnCredit(credit);
            if (resume) ResumeInput();
            var bytes = line.ToReadOnlySpan();
            var parsed = IrcParser.TryParse(bytes, out var message, out var error, IrcParser.MaxClientTagSectionBytes);
            if ((parsed && message is not null ? LabeledResponse.LabelOf(_state, message) : LabeledResponse.LabelOfRaw(_state, bytes)) is { } label)
            {
                _label = label;
                _labeled = new List<ByteString>();
            }

            var result = !parsed || message is null
                ? CommandCore.HandleInvalid(_state, View, error)
                : !System.Text.Unicode.Utf8.IsValid(bytes) ? CommandCore.InvalidUtf8(_state, View, message.Command)
                : IsOper(message) && !_rt.OperThrottle.MayTry(_state.Host, out var retry) ? Core.UserCommands.OperThrottled(_state, View, retry)
                : CommandCore.Handle(_state, View, message);
            Commit(result);
        }

        if (_peerClosed && !_closing && !_awaiting && _inFlight == 0 && _pending.Count == 0 && _input.Count == 0)
            Commit(CommandCore.PeerHalfClosed(_state, View));
    }

    private void OnEvent(ChatEvent e)
    {
        var result = CommandCore.Apply(_state, View, e);
        if (e.Completes && _awaiting)
        {
            _awaiting = false;
            Timers.Cancel(RequestTimeout.Instance);
        }
        else if (e.Completes && _inFlight > 0 && --_inFlight == 0)
        {
            Timers.Cancel(RequestTimeout.Instance);
        }

        switch (e)
        {
            case JoinedEvent j when !Sender.Equals(_server):
                _channelActors[j.Channel] = Sender;
                Context.Watch(Sender);
                break;
            case LeftEvent l when _channelActors.Remove(l.Channel, out var channel):
                Context.Unwatch(channel);
                break;
        }

        if (e is RegisteredEvent)
        {
            Timers.Cancel(RegistrationTimeout.Instance);
            LearnServer();
        }

        Commit(result, first: true);
        Pump();
    }

    /// <summary>The service forwards sessions' requests to its <c>users</c> child, which answered this one: address it
    /// directly from now on. Only from answers that end a request, when nothing else of this session is on the way
    /// through the service, so nothing sent later can overtake what was sent before.</summary>
    private void LearnServer()
    {
        if (!Sender.IsNobody() && !Sender.Equals(Self)) _server = Sender;
    }

    private void OnPingTick()
    {
        if (_closing || !_state.Registered) return;
        var idle = Time.GetElapsedTime(_lastInput);
        if (_pingSent && idle >= Settings.PingInterval + Settings.PingTimeout)
        {
            CloseWith(DisconnectReason.IdleTimeout, $"Closing link: {_state.Host} (Ping timeout: {(int)idle.TotalSeconds} seconds)");
        }
        else if (!_pingSent && idle >= Settings.PingInterval)
        {
            _pingSent = true;
            Send(Outgoing.Encode(IrcMessage.Create("PING", Settings.ServerName)));
        }
    }

    private void CloseWith(DisconnectReason reason, string text)
    {
        _closing = true;
        _pending.Clear();
        ReturnCredit(_input.Clear());
        Send(Outgoing.Encode(IrcMessage.Create("ERROR", text)));
        Handler.ConnectionActor.Tell(new Connection.Close(reason, text), ActorRefs.NoSender);
    }

    internal static string HostOf(EndPoint endpoint)
    {
        var host = endpoint is IPEndPoint ip ? (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString() : endpoint.ToString() ?? "unknown";
        return host.StartsWith(':') ? "0" + host : host;
    }
}
