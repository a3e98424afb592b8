using ActorNet.Handlers;
using Akka.Actor;
using Akka.IO;

namespace ActorNet.Transport;

/// <summary>The half-close of our side (<see cref="CloseOutput"/>): Open → ClosingOutput (flush) → OutputClosed (our FIN
/// sent, the client still read) → Lingering (the client's FIN too; the handler finishes, then closes).</summary>
public sealed partial class Connection
{
    /// <summary>From the handler: flush what is queued, then send the client our FIN (Akka.IO <c>ConfirmedClose</c>)
    /// and keep reading it: the client's frames still reach the handler, then <see cref="ConnectionHandler.PeerHalfClosed"/>
    /// at its FIN, and the handler closes the connection when it is done (<see cref="Close"/>, bounded by
    /// close-timeout). What is sent after it is dropped. The forward handler passes an upstream's FIN on with it.
    /// A websocket connection closes instead (its close handshake has no half-close).</summary>
    public sealed record CloseOutput
    {
        public static readonly CloseOutput Instance = new();
    }

    /// <summary>May client input still reach the handler (and further reads be requested)?</summary>
    private bool ReadsFlow => _state is State.Open or State.ClosingOutput or State.OutputClosed;

    private void OnCloseOutput()
    {
        if (_ws is not null)
        {
            BeginClose(DisconnectReason.HandlerClosed, "output closed");
            return;
        }

        FlushDownLane();
        if (SocketClosing) return; // flushing the toxic lane overflowed the queue: already aborted
        Enter(State.ClosingOutput.Instance);
        if (!_writer.WriteInFlight) SendFin();
    }

    private void SendFin()
    {
        _setup.Socket.Tell(Tcp.ConfirmedClose.Instance);
        Enter(State.OutputClosed.Instance);
    }

    /// <summary>ClosingOutput and OutputClosed: input flows as when open; output is closed (sends are dropped).</summary>
    private bool HalfOpen(object message)
    {
        switch (message)
        {
            case Tcp.Received r: OnReceived(r); return true;
            case Send or SendMany or SendAcked or SendBatch or CloseOutput or ToxicsChanged or IdleCheck: return true;
            case LaneTick t: OnLaneTick(t); return true;
            case AckWriter.Ack:
                OnAck();
                if (_state is State.ClosingOutput && !_writer.WriteInFlight) SendFin();
                return true;
            case CreditReturned: RequestRead(); return true;
            case PauseInput: _pauses |= ReadPause.Handler; return true;
            case ResumeInput:
                _pauses &= ~ReadPause.Handler;
                RequestRead();
                return true;
            case Close c: CloseHalfOpen(c.Reason, c.Detail); return true;
            case Kill k when k.Mode == Faults.KillMode.Crash: OnKill(k); return true;
            case Kill k: CloseHalfOpen(DisconnectReason.Killed, k.Detail); return true;
            case Abort a: AbortNow(a.Reason, a.Detail); return true;
            case ToxicTimeoutDue: CloseHalfOpen(DisconnectReason.Toxic, "timeout toxic"); return true;
            case Terminated t when t.ActorRef.Equals(_handler):
                _handler = null;
                CloseHalfOpen(DisconnectReason.HandlerFailed, $"handler stopped after {_handlerRestarts} restarts");
                return true;
            case Terminated t: OnTerminated(t); return true;
            // our FIN went out and the client's came back: Akka.IO has closed the socket; the handler finishes
            case Tcp.ConfirmedClosed when _state is State.OutputClosed: OnPeerFinishedAfterUs(); return true;
            case Tcp.PeerClosed: // the client's FIN before ours left (still flushing): as when open
                _readRequested = false;
                _pauses |= ReadPause.PeerClosed;
                FlushUpLane();
                _handler?.Tell(ConnectionHandler.PeerHalfClosed.Instance, Self);
                return true;
            case Tcp.ConnectionClosed c: OnClosedBySocket(c); return true;
            case Tcp.CommandFailed f: OnCommandFailed(f); return true;
            default: return false;
        }
    }

    /// <summary>A close asked while our output is (being) closed: still flushing → the usual graceful close; FIN sent →
    /// wait for the client's (Akka.IO reads on) without the handler.</summary>
    private void CloseHalfOpen(DisconnectReason reason, string? detail)
    {
        if (_state is State.ClosingOutput)
        {
            BeginClose(reason, detail);
            return;
        }

        StopHandler();
        Timers.StartSingleTimer(CloseTimeout.Instance, CloseTimeout.Instance, DrainTimeout);
        Enter(new State.Closing(new Outcome(reason, detail), UntilPeerCloses: true));
    }

    private void OnPeerFinishedAfterUs()
    {
        var told = (_pauses & ReadPause.PeerClosed) != 0; // its FIN came while we were still flushing
        _readRequested = false;
        _pauses |= ReadPause.PeerClosed;
        FlushUpLane();
        if (_handler is null)
        {
            Stop(new Outcome(DisconnectReason.ClientClosed, null));
            return;
        }

        Timers.StartSingleTimer(CloseTimeout.Instance, CloseTimeout.Instance, DrainTimeout);
        Enter(State.Lingering.Instance);
        if (!told) _handler.Tell(ConnectionHandler.PeerHalfClosed.Instance, Self);
    }

    /// <summary>Both FINs exchanged, the socket gone: the handler finishes what it relays elsewhere (the forward
    /// handler: its upstream's last writes), then closes; close-timeout bounds it.</summary>
    private bool Lingering(object message)
    {
        switch (message)
        {
            case Close c: Stop(new Outcome(c.Reason, c.Detail)); return true;
            case Abort a: Stop(new Outcome(a.Reason, a.Detail)); return true;
            case Kill k: Stop(new Outcome(DisconnectReason.Killed, k.Detail)); return true;
            case CloseTimeout: Stop(new Outcome(DisconnectReason.ClientClosed, "handler did not close after both FINs")); return true;
            case Terminated t when t.ActorRef.Equals(_handler): Stop(new Outcome(DisconnectReason.HandlerFailed, "handler stopped")); return true;
            default: return true; // the socket is gone: nothing else matters
        }
    }
}
