using ActorNet.Transport.Tls;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Transport;

/// <summary>
/// The TLS side of <see cref="Connection"/> (a listener with <c>tls { }</c>): a <see cref="TlsChannel"/> sits between
/// the Akka.IO socket and the framing. Socket reads go into the layer (one at a time, bounded by its pipe), plaintext
/// comes out through the same <see cref="Connection.DecodeAndDeliver"/> as plain bytes, under the same input credit and
/// pauses; the <see cref="AckWriter"/> writes plaintext into the layer instead of the socket and gets its ack once the
/// layer took it, so the write queue, its soft and hard limits, toxics and kills work unchanged above it.
/// The handler starts once the handshake succeeded (it is told the session: <see cref="Handlers.HandlerContext.Tls"/>);
/// a failed or timed-out handshake closes the connection with <see cref="DisconnectReason.TlsHandshakeFailed"/>.
/// A graceful close sends close_notify after the last queued byte, then FIN.
/// </summary>
public sealed partial class Connection
{
    private TlsChannel? _tls;

    /// <summary>Half-closed (our close_notify and FIN sent) and Akka.IO confirmed the socket closed before the layer
    /// handed up the client's last bytes: the end of its plaintext finishes the connection.</summary>
    private bool _tlsSocketGone;

    /// <summary>Creates the layer and starts the handshake when the listener has <c>tls { }</c>; false for plain TCP.</summary>
    private bool StartTls()
    {
        if (Listener.Tls is not { } settings) return false;
        _tls = new TlsChannel(TlsLayer.Server(settings), Self, _setup.Socket, _counters.BytesOut);
        _writer.Sink = _tls;
        _tls.Start();
        return true;
    }

    /// <summary>The TLS messages in every state but Closing (where everything is moot).</summary>
    private bool OnTlsMessage(object message)
    {
        if (_tls is null) return false;
        switch (message)
        {
            case TlsChannel.HandshakeDone done: OnTlsHandshakeDone(done); return true;
            case TlsChannel.CiphertextReady:
                _tls.OnCiphertextReady();
                CloseIfTlsDrained();
                return true;
            case TlsChannel.PlaintextEncrypted encrypted: _tls.OnPlaintextEncrypted(encrypted); return true;
            case TlsChannel.CiphertextWritten:
                _tls.OnCiphertextWritten();
                CloseIfTlsDrained();
                return true;
            case TlsChannel.CiphertextTaken taken:
                _tls.OnCiphertextTaken(taken);
                if (ReadsFlow) RequestRead();
                return true;
            case TlsChannel.PlaintextIn plaintext: OnTlsPlaintext(_tls.OnPlaintextIn(plaintext)); return true;
            default: return false;
        }
    }

    private void OnTlsHandshakeDone(TlsChannel.HandshakeDone done)
    {
        var result = _tls!.OnHandshakeDone(done);
        if (result.Session is { } session)
        {
            Log.Debug("connection {ConnectionId} on {Listener}: TLS {Protocol} {Cipher} (SNI {ServerName}, client certificate {Fingerprint})",
                _info.Id, _info.Listener, session.Protocol, session.CipherSuite, session.ServerName ?? "-", session.ClientCertificateFingerprint ?? "-");
            if (_state is not State.Open) return;
            if (_ws is null) StartHandler();
            RequestRead();
            return;
        }

        Log.Info("connection {ConnectionId} on {Listener} from {Remote}: TLS handshake failed ({Failure}): {Detail}",
            _info.Id, _info.Listener, _info.Remote, result.Failure.ToString(), result.Detail);
        if (_state is State.Open) BeginClose(DisconnectReason.TlsHandshakeFailed, $"{result.Failure}: {result.Detail}");
        else if (_state is State.Draining draining) CloseSocket(draining.Outcome); // a write held for the handshake never leaves
    }

    /// <summary>Socket bytes of a TLS connection: into the layer; the next socket read is requested once it took them
    /// (at once, unless its pipe is full).</summary>
    private void OnTlsCiphertext(ByteString data)
    {
        if (_tls!.Receive(data) && ReadsFlow) RequestRead();
    }

    /// <summary>The client's FIN on a TLS connection: the layer decrypts what it has, then its plaintext ends, and that
    /// end is the half-close the handler is told about.</summary>
    private void OnTlsSocketEnded() => _tls!.OnSocketEnded();

    private void OnTlsPlaintext(TlsRead read)
    {
        if (!ReadsFlow) return; // closing: input is discarded
        if (!read.End)
        {
            DecodeAndDeliver(ByteString.FromBytes(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(read.Data, out var segment)
                ? segment : new ArraySegment<byte>(read.Data.ToArray())));
            if (ReadsFlow) RequestRead();
            return;
        }

        if (read.Error is { } error)
        {
            Log.Warning("connection {ConnectionId} on {Listener} from {Remote}: TLS error: {Error}", _info.Id, _info.Listener, _info.Remote, error);
            BeginClose(DisconnectReason.MalformedFrame, "TLS: " + error);
            return;
        }

        if (_state is State.Open)
        {
            OnPeerHalfClosed(); // close_notify or FIN after the last record
        }
        else if (_tlsSocketGone)
        {
            OnPeerFinishedAfterUs(); // both FINs exchanged (Akka.IO's ConfirmedClosed), and now all of the client's input is up
        }
        else
        {
            // our output is (being) closed and the client's half ended: as a plain Tcp.PeerClosed in HalfOpen
            _pauses |= ReadPause.PeerClosed;
            FlushUpLane();
            _handler?.Tell(Handlers.ConnectionHandler.PeerHalfClosed.Instance, Self);
        }
    }

    /// <summary>Pull mode over TLS: a socket read whenever the layer took the last one (its bounded pipe is the limit
    /// there), a plaintext read only while the handler has credit and nothing pauses input.</summary>
    private void RequestTlsReads()
    {
        if (!_readRequested && _tls!.MayReadSocket)
        {
            _readRequested = true;
            _setup.Socket.Tell(Tcp.ResumeReading.Instance, Self);
        }

        if (_pauses == ReadPause.None && _credit.MayRead()) _tls!.ReadPlaintext();
    }

    /// <summary>Closing: close_notify first, after the last plaintext write; true while it has not left yet.</summary>
    private bool ShutDownTlsFirst()
    {
        if (_tls is null || _tls.Drained) return false;
        _tls.Shutdown();
        return true;
    }

    /// <summary>close_notify has left: now the FIN (closing, or half-closing our output).</summary>
    private void CloseIfTlsDrained()
    {
        if (!_tls!.ShuttingDown || !_tls.Drained) return;
        if (_state is State.Draining draining) CloseSocket(draining.Outcome);
        else if (_state is State.ClosingOutput) SendFin();
    }
}
