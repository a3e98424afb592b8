using ActorNet.Faults;
using ActorNet.Handlers;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Transport;

/// <summary>The fault hooks of <see cref="Connection"/>: kills, and toxics as a decorator of the data path (one
/// <see cref="ToxicLane"/> per direction).</summary>
public sealed partial class Connection
{
    /// <summary>Kill this connection (admin endpoint, chaos): close, reset, or crash its handler.</summary>
    public sealed record Kill(KillMode Mode, string Detail);

    /// <summary>The node's toxics changed: re-read those that target this connection.</summary>
    public sealed record ToxicsChanged
    {
        public static readonly ToxicsChanged Instance = new();
    }

    private sealed record LaneTick(ToxicDirection Direction);

    private sealed record ToxicTimeoutDue
    {
        public static readonly ToxicTimeoutDue Instance = new();
    }

    private sealed record SlowCloseDue
    {
        public static readonly SlowCloseDue Instance = new();
    }

    private readonly ToxicLane _up;
    private readonly ToxicLane _down;
    private readonly List<ByteString> _released = new();

    private static double NowMs => Environment.TickCount64;

    private void OnKill(Kill kill)
    {
        _counters.Killed(kill.Mode);
        Log.Warning("connection {ConnectionId} on {Listener} from {Remote} killed ({Mode}): {Detail}",
            _info.Id, _info.Listener, _info.Remote, KillModes.Name(kill.Mode), kill.Detail);
        switch (kill.Mode)
        {
            case KillMode.Close:
                SendErrorFrame(DisconnectReason.Killed, "killed: " + kill.Detail);
                BeginClose(DisconnectReason.Killed, kill.Detail);
                break;
            case KillMode.Reset:
                AbortNow(DisconnectReason.Killed, kill.Detail);
                break;
            case KillMode.Crash:
                _handler?.Tell(new ConnectionHandler.InjectedCrash(kill.Detail), Self);
                break;
        }
    }

    private void ApplyToxics()
    {
        var table = _runtime.Toxics;
        _up.Configure(table.For(_info.Listener, _info.Id, ToxicDirection.Upstream));
        _down.Configure(table.For(_info.Listener, _info.Id, ToxicDirection.Downstream));
        var timeout = _up.Timeout ?? _down.Timeout;
        if (timeout is { } t && t > TimeSpan.Zero)
        {
            if (!Timers.IsTimerActive(ToxicTimeoutDue.Instance))
                Timers.StartSingleTimer(ToxicTimeoutDue.Instance, ToxicTimeoutDue.Instance, t);
        }
        else
        {
            Timers.Cancel(ToxicTimeoutDue.Instance);
        }

        ScheduleLane(ToxicDirection.Upstream);
        ScheduleLane(ToxicDirection.Downstream);
    }

    // The toxic lanes decorate the data path (Connection.cs): DeliverUp and SendDown pass a frame straight on
    // (PassUp / Enqueue) while their lane has no toxic, and offer it to the lane here otherwise; a held-back frame is
    // passed on by the lane's tick, in order.

    /// <summary>A frame client → handler through the upstream lane. False when a toxic reset the connection.</summary>
    private bool OfferUp(ByteString frame)
    {
        switch (_up.Offer(frame, NowMs))
        {
            case LaneVerdict.Deliver:
                PassUp(frame);
                break;
            case LaneVerdict.Queued:
                // the backlog is bounded by pausing reads (below); only a single read larger than the rest of the
                // write-queue limit could still pass it
                if (_up.QueuedBytes > Listener.WriteQueueLimitBytes)
                {
                    AbortNow(DisconnectReason.SlowConsumer, "toxic backlog over write-queue-limit-bytes (upstream)");
                    return false;
                }

                if (_up.QueuedBytes > Listener.InputCreditBytes) _pauses |= ReadPause.Toxic;
                ScheduleLane(ToxicDirection.Upstream);
                break;
            case LaneVerdict.Dropped or LaneVerdict.Swallowed:
                _counters.ToxicDropped();
                break;
            case LaneVerdict.Reset:
                AbortNow(DisconnectReason.Toxic, "reset-after toxic (upstream)");
                return false;
        }

        return true;
    }

    /// <summary>A frame handler → client through the downstream lane.</summary>
    private void OfferDown(ByteString payload)
    {
        switch (_down.Offer(payload, NowMs))
        {
            case LaneVerdict.Deliver:
                Enqueue(payload);
                break;
            case LaneVerdict.Queued:
                UpdateQueued();
                if (_down.QueuedBytes + _writer.TotalQueuedBytes > Listener.WriteQueueLimitBytes)
                {
                    _counters.SlowConsumerCut();
                    AbortNow(DisconnectReason.SlowConsumer, "toxic backlog over write-queue-limit-bytes (downstream)");
                    return;
                }

                ScheduleLane(ToxicDirection.Downstream);
                break;
            case LaneVerdict.Dropped or LaneVerdict.Swallowed:
                _counters.ToxicDropped();
                break;
            case LaneVerdict.Reset:
                AbortNow(DisconnectReason.Toxic, "reset-after toxic (downstream)");
                break;
        }
    }

    private void OnLaneTick(LaneTick tick)
    {
        var lane = tick.Direction == ToxicDirection.Upstream ? _up : _down;
        _released.Clear();
        lane.TakeDue(NowMs, _released);
        foreach (var frame in _released)
        {
            if (!LaneFlows(tick.Direction)) break;
            if (tick.Direction == ToxicDirection.Upstream) PassUp(frame);
            else Enqueue(frame);
        }

        _released.Clear();
        UpdateQueued();
        if (LaneFlows(tick.Direction)) ScheduleLane(tick.Direction);
        if (tick.Direction == ToxicDirection.Upstream) ResumeAfterToxic();
    }

    /// <summary>Reads paused for an upstream toxic's backlog resume once it is down to half of input-credit-bytes.</summary>
    private void ResumeAfterToxic()
    {
        if ((_pauses & ReadPause.Toxic) == 0 || _up.QueuedBytes > Listener.InputCreditBytes / 2) return;
        _pauses &= ~ReadPause.Toxic;
        if (ReadsFlow) RequestRead();
    }

    /// <summary>Client input flows to the handler also while our output is half-closed; output only while open.</summary>
    private bool LaneFlows(ToxicDirection direction) => direction == ToxicDirection.Upstream ? ReadsFlow : _state is State.Open;

    private void ScheduleLane(ToxicDirection direction)
    {
        var lane = direction == ToxicDirection.Upstream ? _up : _down;
        if (lane.NextDue is not { } due) return;
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, due - NowMs));
        Timers.StartSingleTimer(("lane", direction), new LaneTick(direction), delay);
    }

    /// <summary>Frames a toxic holds back from the handler reach it before the client's half-close.</summary>
    private void FlushUpLane()
    {
        if (_up.NextDue is null) return;
        _released.Clear();
        _up.TakeAll(_released);
        var frames = _released.ToArray();
        _released.Clear();
        foreach (var frame in frames) PassUp(frame);
        _pauses &= ~ReadPause.Toxic;
    }

    /// <summary>Frames a toxic holds back go out before a close (and before the error frame).</summary>
    private void FlushDownLane()
    {
        if (_down.NextDue is null) return;
        _released.Clear();
        _down.TakeAll(_released);
        var frames = _released.ToArray();
        _released.Clear();
        foreach (var frame in frames)
        {
            if (SocketClosing) return;
            Enqueue(frame);
        }
    }

    private void OnToxicTimeout()
    {
        Log.Info("connection {ConnectionId} on {Listener}: timeout toxic fired; closing", _info.Id, _info.Listener);
        BeginClose(DisconnectReason.Toxic, "timeout toxic");
    }

    /// <summary>Held open by a slow-close toxic; then FIN.</summary>
    private bool SlowClosing(object message, Outcome outcome)
    {
        switch (message)
        {
            case SlowCloseDue:
                _setup.Socket.Tell(Tcp.Close.Instance);
                Enter(new State.Closing(outcome));
                return true;
            case AckWriter.Ack: OnAck(); return true;
            case Abort a: AbortNow(a.Reason, a.Detail); return true;
            case Kill k:
                if (k.Mode == KillMode.Reset) AbortNow(DisconnectReason.Killed, k.Detail);
                return true;
            case CloseTimeout: AbortNow(outcome.Reason, "slow close timed out"); return true;
            case Terminated t: OnTerminated(t); return true;
            case Tcp.PeerClosed: return true; // a half-close: the socket stays open until our FIN
            case Tcp.ConnectionClosed c: OnClosedBySocket(c); return true;
            default: return true;
        }
    }
}
