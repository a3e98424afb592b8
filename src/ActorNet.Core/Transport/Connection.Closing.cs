using ActorNet.Faults;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Transport;

/// <summary>How a <see cref="Connection"/> ends: its closing states (each carrying why it closes), the graceful
/// close (Open → Draining → Closing), the reset, and the last log line.</summary>
public sealed partial class Connection
{
    /// <summary>Why the connection ends: carried by the closing states and logged when it stops.</summary>
    private sealed record Outcome(DisconnectReason Reason, string? Detail);

    /// <summary>The connection's state; each closing state carries why it closes (as Akka.IO's own TcpConnection's
    /// closing behaviours carry their close information). <see cref="Enter"/> switches state and behaviour together.</summary>
    private abstract record State
    {
        /// <summary>Frames flow both ways.</summary>
        public sealed record Open : State
        {
            public static readonly Open Instance = new();
        }

        /// <summary>The handler asked to close our output (<see cref="CloseOutput"/>): what is queued is being flushed,
        /// then our FIN; input flows on.</summary>
        public sealed record ClosingOutput : State
        {
            public static readonly ClosingOutput Instance = new();
        }

        /// <summary>Our FIN sent (Akka.IO ConfirmedClose): input flows on until the client's FIN.</summary>
        public sealed record OutputClosed : State
        {
            public static readonly OutputClosed Instance = new();
        }

        /// <summary>Both FINs exchanged and the socket closed; the handler is finishing (it closes, or close-timeout).</summary>
        public sealed record Lingering : State
        {
            public static readonly Lingering Instance = new();
        }

        /// <summary>A graceful close: the handler is gone, what is queued is being flushed; then FIN.</summary>
        public sealed record Draining(Outcome Outcome) : State;

        /// <summary>Flushed, the FIN held back by a slow-close toxic.</summary>
        public sealed record SlowClosing(Outcome Outcome) : State;

        /// <summary>Close or Abort sent to Akka.IO; waiting for its confirmation. <paramref name="UntilPeerCloses"/>:
        /// a ConfirmedClose (our FIN sent), reading on until the client's FIN.</summary>
        public sealed record Closing(Outcome Outcome, bool UntilPeerCloses = false) : State;

        /// <summary>Stopping (the actor is told to stop; PostStop logs the outcome).</summary>
        public sealed record Stopped(Outcome Outcome) : State;

        /// <summary>Why the connection is closing; null while open.</summary>
        public Outcome? Closed => this switch
        {
            Draining d => d.Outcome,
            SlowClosing s => s.Outcome,
            Closing c => c.Outcome,
            Stopped x => x.Outcome,
            _ => null,
        };
    }

    /// <summary>Flushing what is queued before a graceful close; input is ignored, the handler gets nothing more.</summary>
    private bool Draining(object message, Outcome outcome)
    {
        switch (message)
        {
            case Tcp.Received r:
                _readRequested = false;
                CountIn(r.Data.Count);
                ReadOn();
                return true;
            case Tcp.PeerClosed: return true; // a half-close: Akka.IO keeps the socket open, the flush goes on
            case Send or SendMany or SendAcked or SendBatch or Close or IdleCheck or PauseInput or ResumeInput or CreditReturned: return true;
            case AckWriter.Ack:
                OnAck();
                if (!_writer.WriteInFlight) CloseSocket(outcome);
                return true;
            case Kill k:
                if (k.Mode == KillMode.Reset) AbortNow(DisconnectReason.Killed, k.Detail);
                return true;
            case Abort a: AbortNow(a.Reason, a.Detail); return true;
            case CloseTimeout: AbortNow(outcome.Reason, "drain timed out"); return true;
            case Terminated t: OnTerminated(t); return true;
            case Tcp.ConnectionClosed c: OnClosedBySocket(c); return true;
            case Tcp.CommandFailed f: OnCommandFailed(f); return true;
            default: return false;
        }
    }

    /// <summary>Close or Abort sent to Akka.IO; waiting for its confirmation.</summary>
    private bool Closing(object message, State.Closing closing)
    {
        var outcome = closing.Outcome;
        switch (message)
        {
            case Tcp.Received r:
                _readRequested = false;
                CountIn(r.Data.Count);
                if (closing.UntilPeerCloses) ReadOn();
                return true;
            case Tcp.ConnectionClosed c: OnClosedBySocket(c); return true;
            case CloseTimeout: Stop(outcome); return true;
            case Terminated t:
                if (t.ActorRef.Equals(_setup.Socket)) Stop(outcome);
                return true;
            default: return true; // everything else is moot now
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Closing. The first reason given wins: a closing state carries it to the end.
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>Open → Draining: the handler stops, what is queued (and held by a toxic) is flushed, then FIN.</summary>
    private void BeginClose(DisconnectReason reason, string? detail)
    {
        if (_state is not (State.Open or State.ClosingOutput)) return; // already closing: the first reason stands
        var outcome = new Outcome(reason, detail);
        Enter(new State.Draining(outcome)); // from here an overflow while flushing resets instead of closing again
        FlushDownLane();
        if (SocketClosing) return; // flushing the toxic lane overflowed the queue: already aborted
        SendWebSocketClose(reason, detail);
        if (SocketClosing) return;
        StopHandler();
        Timers.StartSingleTimer(CloseTimeout.Instance, CloseTimeout.Instance, DrainTimeout);
        if (_writer.WriteInFlight && _tls is not { Failed: true }) return; // Draining until the last ack (none after a failed handshake)
        CloseSocket(outcome);
    }

    private void CloseSocket(Outcome outcome)
    {
        if (ShutDownTlsFirst()) return; // back here once close_notify has left (CloseIfTlsDrained)
        if (_down.SlowClose > TimeSpan.Zero)
        {
            // slow-close toxic: hold the socket open a while before the FIN
            Timers.StartSingleTimer(SlowCloseDue.Instance, SlowCloseDue.Instance, _down.SlowClose);
            Timers.StartSingleTimer(CloseTimeout.Instance, CloseTimeout.Instance, _down.SlowClose + DrainTimeout);
            Enter(new State.SlowClosing(outcome));
            return;
        }

        // websocket: FIN after the close frame, then read on until the client closes too (no reset over unread input)
        _setup.Socket.Tell(_ws is null ? Tcp.Close.Instance : Tcp.ConfirmedClose.Instance);
        Enter(new State.Closing(outcome, UntilPeerCloses: _ws is not null));
    }

    /// <summary>Reset now, dropping what is queued. While already closing, the reason of that close stands.</summary>
    private void AbortNow(DisconnectReason reason, string? detail)
    {
        var outcome = _state.Closed ?? new Outcome(reason, detail);
        StopHandler();
        _setup.Socket.Tell(Tcp.Abort.Instance);
        Timers.StartSingleTimer(CloseTimeout.Instance, CloseTimeout.Instance, DrainTimeout);
        Enter(new State.Closing(outcome));
    }

    private void StopHandler()
    {
        if (_handler is null) return;
        Context.Unwatch(_handler);
        Context.Stop(_handler);
        _handler = null;
    }

    /// <summary>The end: the actor stops (and with it the socket, if still open); PostStop logs the outcome.</summary>
    private void Stop(Outcome outcome)
    {
        Enter(new State.Stopped(outcome));
        Context.Stop(Self);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (terminated.ActorRef.Equals(_setup.Socket))
        {
            Stop(_state.Closed ?? new Outcome(DisconnectReason.PeerReset, "socket actor stopped"));
        }
        else if (terminated.ActorRef.Equals(_handler))
        {
            _handler = null;
            Log.Warning("handler of connection {ConnectionId} on {Listener} stopped after {Restarts} restarts; closing the connection",
                _info.Id, _info.Listener, _handlerRestarts);
            BeginClose(DisconnectReason.HandlerFailed, $"handler stopped after {_handlerRestarts} restarts");
        }
    }

    private void OnClosedBySocket(Tcp.ConnectionClosed closed) =>
        Stop(_state.Closed ?? closed switch
        {
            Tcp.PeerClosed => new Outcome(DisconnectReason.ClientClosed, null),
            Tcp.ErrorClosed error => new Outcome(DisconnectReason.PeerReset, error.Cause),
            _ => new Outcome(DisconnectReason.Shutdown, closed.GetType().Name),
        });

    private void OnCommandFailed(Tcp.CommandFailed failed) => AbortNow(DisconnectReason.WriteFailed, failed.CauseString);

    protected override void PostStop()
    {
        var outcome = _state.Closed ?? new Outcome(DisconnectReason.Shutdown, null);
        _decoder?.Dispose();
        _ws?.Dispose();
        _tls?.Dispose();
        _writer.Dispose();
        _counters.Closed(outcome.Reason);
        if (_setup.Rejected is not null) return;
        _runtime.Connections.Remove(_info.Id);
        _runtime.Events.ConnectionClosed(_info, outcome.Reason, outcome.Detail);
        Log.Info("connection {ConnectionId} on {Listener} from {Remote} closed after {OpenFor}: {Reason} ({Detail}); bytes in/out {BytesIn}/{BytesOut}, frames in/out {FramesIn}/{FramesOut}",
            new object[] { _info.Id, _info.Listener, _info.Remote, DateTimeOffset.UtcNow - _info.OpenedAt, outcome.Reason.ToString(), outcome.Detail ?? "-", Stats.BytesIn, Stats.BytesOut, Stats.FramesIn, Stats.FramesOut });
    }
}
