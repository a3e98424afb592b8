using ActorNet.Transport;
using ActorNet.Transport.Tls;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Handlers.BuiltIn;

/// <summary>
/// Outbound TLS (<c>upstream-tls { }</c>): the link originates TLS to its upstream with the same <see cref="TlsChannel"/>
/// the accepted connections use, so the link stays the one actor of its socket and keeps its flow control: one socket
/// read fed to the layer at a time, a plaintext read only while fewer than <see cref="ReadWindow"/> reads wait for the
/// client, the write queue writing into the layer. States: Connecting → Handshaking → Connected. A failed handshake
/// (the upstream's certificate rejected, no TLS there, the timeout) fails the link, and the client is closed with
/// <see cref="DisconnectReason.UpstreamClosed"/>.
/// </summary>
public sealed partial class UpstreamLink
{
    private TlsChannel? _tls;

    private void StartTls(Link link, Held held, UpstreamTlsSettings settings)
    {
        TlsClientOptions options;
        try
        {
            options = settings.ClientOptions();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            link.Socket.Tell(Tcp.Abort.Instance);
            Fail($"upstream-tls ca-certificate unreadable: {e.Message}");
            return;
        }

        _tls = new TlsChannel(TlsLayer.Client(options), Self, link.Socket);
        _writer.Sink = _tls;
        Become(() => Handshaking(link, held));
        _tls.Start();
        RequestTlsReads(link);
    }

    /// <summary>Connected, handshake under way: the client's frames are still held.</summary>
    private void Handshaking(Link link, Held held)
    {
        var socket = link.Socket;
        Context.Watch(socket);
        Receive<TlsChannel.HandshakeDone>(done =>
        {
            var result = _tls!.OnHandshakeDone(done);
            if (result.Ok)
            {
                _log.Debug("upstream link to {Upstream}: TLS {Protocol} {Cipher}", _setup.Upstream, result.Session!.Protocol, result.Session.CipherSuite);
                LinkUp(link, held);
                return;
            }

            _log.Warning("upstream link to {Upstream}: TLS handshake failed ({Failure}): {Detail}", _setup.Upstream, result.Failure.ToString(), result.Detail);
            socket.Tell(Tcp.Abort.Instance);
            Fail($"TLS handshake with {_setup.Upstream} failed ({result.Failure}): {result.Detail}");
        });
        ReceiveTls(link);
        Receive<Tcp.Received>(received =>
        {
            link.ReadRequested = false;
            if (_tls!.Receive(received.Data)) RequestTlsReads(link);
        });
        Receive<Kill>(kill =>
        {
            socket.Tell(Tcp.Abort.Instance);
            Fail("killed: " + kill.Detail);
        });
        Receive<Tcp.PeerClosed>(_ =>
        {
            link.ReadRequested = false;
            _tls!.OnSocketEnded(); // the handshake fails with PeerClosed
        });
        Receive<Tcp.ConnectionClosed>(closed =>
        {
            _socket = null;
            Fail("upstream connection " + closed.GetType().Name + " during the TLS handshake");
        });
        Receive<Tcp.CommandFailed>(failed => Fail("write to upstream failed: " + failed.CauseString));
        Receive<Terminated>(_ =>
        {
            _socket = null;
            Fail("upstream socket stopped");
        });
        HoldSends(held);
    }

    /// <summary>The layer's messages, in Handshaking and the connected states.</summary>
    /// <param name="afterWrite">after the layer wrote ciphertext (Draining: our FIN once close_notify has left)</param>
    private void ReceiveTls(Link link, Action? afterWrite = null)
    {
        var socket = link.Socket;
        Receive<TlsChannel.CiphertextReady>(_ =>
        {
            _tls!.OnCiphertextReady();
            afterWrite?.Invoke();
        });
        Receive<TlsChannel.PlaintextEncrypted>(encrypted => _tls!.OnPlaintextEncrypted(encrypted));
        Receive<TlsChannel.CiphertextWritten>(_ =>
        {
            _tls!.OnCiphertextWritten();
            afterWrite?.Invoke();
        });
        Receive<TlsChannel.CiphertextTaken>(taken =>
        {
            _tls!.OnCiphertextTaken(taken);
            RequestTlsReads(link);
        });
        Receive<TlsChannel.PlaintextIn>(plaintext =>
        {
            var read = _tls!.OnPlaintextIn(plaintext);
            if (!read.End)
            {
                var bytes = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(read.Data, out var segment)
                    ? ByteString.FromBytes(segment) : ByteString.CopyFrom(read.Data.ToArray());
                if (Deliver(link, bytes)) RequestTlsReads(link);
                return;
            }

            if (read.Error is { } error)
            {
                socket.Tell(Tcp.Abort.Instance);
                Fail("TLS error from upstream: " + error);
                return;
            }

            _setup.Owner.Tell(ForwardHandler.UpstreamFinished.Instance); // close_notify or FIN: the upstream's half ended
        });
    }

    /// <summary>A socket read whenever the layer took the last one; a plaintext read while the client keeps up.</summary>
    private void RequestTlsReads(Link link)
    {
        if (!link.ReadRequested && _tls!.MayReadSocket)
        {
            link.ReadRequested = true;
            link.Socket.Tell(Tcp.ResumeReading.Instance);
        }

        if (link.Unacked < ReadWindow) _tls!.ReadPlaintext();
    }

    /// <summary>Half-close over TLS: close_notify after the last write; true once it has left (then our FIN).</summary>
    private bool TlsClosedForWriting()
    {
        if (!_tls!.ShuttingDown) _tls.Shutdown();
        return _tls.Drained;
    }
}
