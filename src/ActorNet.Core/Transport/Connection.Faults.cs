using ActorNet.Faults;
using ActorNet.Handlers;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Transport;

/// <summary>The fault hooks of <see cref="Connection"/>: kills and toxics (one <see cref="ToxicLane"/> per direction).</summary>
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
    private bool _closing;

    private static double NowMs => Environment.TickCount64;

    private void OnKill(Kill kill)
    {
        _metrics.Killed(kill.Mode);
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

    /// <summary>The frames of one read, client → handler: one message for the whole read (<see cref="ConnectionHandler.FramesReceived"/>)
    /// when the handler accepts batches and no upstream toxic is active; otherwise frame by frame (through the upstream
    /// lane). False when a toxic reset the connection.</summary>
    private bool DeliverUp(List<ByteString> frames)
    {
        if (frames.Count == 0) return true;
        if (frames.Count == 1) return DeliverUp(frames[0]);
        if (_up.IsPassThrough && _setup.Handler.AcceptsFrameBatches)
        {
            _handler?.Tell(new ConnectionHandler.FramesReceived(frames.ToArray()), Self);
            return true;
        }

        foreach (var frame in frames)
            if (!DeliverUp(frame)) return false;
        return true;
    }

    /// <summary>One frame, client → handler through the upstream lane. False when a toxic reset the connection.</summary>
    private bool DeliverUp(ByteString frame)
    {
        if (_up.IsPassThrough)
        {
            _handler?.Tell(new ConnectionHandler.FrameReceived(frame), Self);
            return true;
        }

        switch (_up.Offer(frame, NowMs))
        {
            case LaneVerdict.Deliver:
                _handler?.Tell(new ConnectionHandler.FrameReceived(frame), Self);
                break;
            case LaneVerdict.Queued:
                if (_up.QueuedBytes > Listener.WriteQueueLimitBytes)
                {
                    AbortNow(DisconnectReason.SlowConsumer, "toxic backlog over write-queue-limit-bytes (upstream)");
                    return false;
                }

                ScheduleLane(ToxicDirection.Upstream);
                break;
            case LaneVerdict.Dropped or LaneVerdict.Swallowed:
                _metrics.ToxicDropped();
                break;
            case LaneVerdict.Reset:
                AbortNow(DisconnectReason.Toxic, "reset-after toxic (upstream)");
                return false;
        }

        return true;
    }

    /// <summary>Handler → client through the downstream lane.</summary>
    private void SendDown(ByteString payload)
    {
        if (_down.IsPassThrough)
        {
            Enqueue(payload);
            return;
        }

        switch (_down.Offer(payload, NowMs))
        {
            case LaneVerdict.Deliver:
                Enqueue(payload);
                break;
            case LaneVerdict.Queued:
                UpdateQueued();
                if (_down.QueuedBytes + _outbound.TotalQueuedBytes > Listener.WriteQueueLimitBytes)
                {
                    _metrics.SlowConsumerCut();
                    AbortNow(DisconnectReason.SlowConsumer, "toxic backlog over write-queue-limit-bytes (downstream)");
                    return;
                }

                ScheduleLane(ToxicDirection.Downstream);
                break;
            case LaneVerdict.Dropped or LaneVerdict.Swallowed:
                _metrics.ToxicDropped();
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
            if (_closing) break;
            if (tick.Direction == ToxicDirection.Upstream) _handler?.Tell(new ConnectionHandler.FrameReceived(frame), Self);
            else Enqueue(frame);
        }

        _released.Clear();
        UpdateQueued();
        if (!_closing) ScheduleLane(tick.Direction);
    }

    private void ScheduleLane(ToxicDirection direction)
    {
        var lane = direction == ToxicDirection.Upstream ? _up : _down;
        if (lane.NextDue is not { } due) return;
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, due - NowMs));
        Timers.StartSingleTimer(("lane", direction), new LaneTick(direction), delay);
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
            if (_closing) return;
            Enqueue(frame);
        }
    }

    private void OnToxicTimeout()
    {
        Log.Info("connection {ConnectionId} on {Listener}: timeout toxic fired; closing", _info.Id, _info.Listener);
        BeginClose(DisconnectReason.Toxic, "timeout toxic");
    }

    /// <summary>Held open by a slow-close toxic; then FIN.</summary>
    private bool SlowClosing(object message)
    {
        switch (message)
        {
            case SlowCloseDue:
                _setup.Socket.Tell(Tcp.Close.Instance);
                Become(Closing);
                return true;
            case WriteAck: OnAck(); return true;
            case Abort a: AbortNow(a.Reason, a.Detail); return true;
            case Kill k:
                if (k.Mode == KillMode.Reset) AbortNow(DisconnectReason.Killed, k.Detail);
                return true;
            case CloseTimeout: AbortNow(_reason ?? DisconnectReason.Shutdown, "slow close timed out"); return true;
            case Terminated t: OnTerminated(t); return true;
            case Tcp.ConnectionClosed c: OnClosedBySocket(c); return true;
            default: return true;
        }
    }
}
