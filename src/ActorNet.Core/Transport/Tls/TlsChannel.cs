using Akka.Actor;
using Akka.IO;

namespace ActorNet.Transport.Tls;

/// <summary>
/// A <see cref="TlsLayer"/> bound to one Akka.IO socket and the actor that owns it (the accepted connection, or the
/// forward handler's upstream link): it moves ciphertext between the socket and the layer and turns every async step
/// of the layer into a message to the owner (PipeTo), so the owner never blocks and stays the only actor of the
/// socket. Only ever called on the owner's thread; it holds the "one call of each kind outstanding" discipline of
/// <see cref="TlsLayer"/> as plain flags, so the owner only routes the messages below to it.
/// <para>Writes: the owner's <see cref="AckWriter"/> write (one at a time) is encrypted inline, on the owner's thread,
/// at most <see cref="TlsLayer.MaxEncryptBytes"/> per step, and its ciphertext leaves at once as one
/// <see cref="Tcp.Write"/>: the write that carries its last bytes is acked to the owner with <see cref="AckWriter.Ack"/>
/// itself, so a TLS flush costs the messages a plain one does (one write, one ack) plus the AES-GCM pass. While a
/// socket write is in flight the next step is encrypted ahead (once), so at most about two steps of ciphertext exist
/// per connection. What SslStream writes on its own (handshake, close_notify) wakes the owner with
/// <see cref="CiphertextReady"/> and leaves the same way, acked with <see cref="CiphertextWritten"/>.</para>
/// <para>Reads: at most one socket read is fed to the layer at a time (the owner asks Akka.IO for the next read only
/// once <see cref="CiphertextTaken"/> came back), one plaintext read is outstanding only while the owner has credit.
/// The inbound pipe is bounded, so a consumer that stops reading stops socket reads.</para>
/// </summary>
public sealed class TlsChannel : IWriteSink
{
    /// <summary>The handshake finished (or failed: then close with <see cref="DisconnectReason.TlsHandshakeFailed"/>).</summary>
    public sealed record HandshakeDone(TlsHandshakeResult Result);

    /// <summary>SslStream wrote ciphertext on its own (handshake, alerts, close_notify), or the layer closed.</summary>
    public sealed record CiphertextReady
    {
        public static readonly CiphertextReady Instance = new();
    }

    /// <summary>The layer took the last socket read: the owner may request the next (<see cref="MayReadSocket"/>).</summary>
    public sealed record CiphertextTaken(bool Open);

    /// <summary>Decrypted bytes for the framing, or the end of the peer's stream (close_notify, FIN, or a TLS error).</summary>
    public sealed record PlaintextIn(TlsRead Read);

    /// <summary>An encrypting step that SslStream did not finish inline finished (Ok false: the layer is closed).</summary>
    public sealed record PlaintextEncrypted(bool Ok);

    /// <summary>The ack of a ciphertext write to the socket that completes no plaintext write.</summary>
    public sealed class CiphertextWritten : Tcp.Event
    {
        public static readonly CiphertextWritten Instance = new();

        private CiphertextWritten()
        {
        }
    }

    private readonly TlsLayer _layer;
    private readonly IActorRef _owner;
    private readonly Action<int>? _countOut;
    private IActorRef _socket;
    private bool _cipherEnded;
    private bool _watching;
    private bool _eofPending;
    private (ByteString Data, ArraySegment<byte> Contiguous)? _heldWrite;

    /// <summary>The pooled array of the socket write in flight (given back at its ack); null: none in flight.</summary>
    private byte[]? _inFlight;

    /// <summary>The write in flight is acked with <see cref="AckWriter.Ack"/>: it carries a plaintext write's last bytes.</summary>
    private bool _inFlightAcksPlaintext;

    /// <summary>The plaintext write being encrypted (the owner's AckWriter write), and how much of it is encrypted.</summary>
    private ByteString? _plain;
    private ArraySegment<byte> _plainArray;
    private int _plainDone;

    /// <summary>The plaintext write's last bytes are encrypted: the next socket write carries its ack.</summary>
    private bool _ackAtNextTake;

    /// <summary>An encrypting step did not finish inline (<see cref="PlaintextEncrypted"/> comes).</summary>
    private bool _encrypting;

    /// <summary>The staging copy of the step being encrypted (also joins a fan-out batch's runs into one span, so its
    /// records are full). Rented per step, returned after it.</summary>
    private byte[]? _staging;

    /// <param name="countOut">counts the ciphertext bytes written to the socket (the wire bytes)</param>
    public TlsChannel(TlsLayer layer, IActorRef owner, IActorRef socket, Action<int>? countOut = null)
    {
        _layer = layer;
        _owner = owner;
        _socket = socket;
        _countOut = countOut;
    }

    /// <summary>The negotiated session once the handshake succeeded.</summary>
    public TlsSession? Session { get; private set; }

    public bool Established => Session is not null;

    /// <summary>The handshake failed: the layer is dead, close the socket without it.</summary>
    public bool Failed { get; private set; }

    /// <summary>A socket read is being fed to the layer: do not request the next one yet.</summary>
    public bool ReceivingCiphertext { get; private set; }

    /// <summary>A plaintext read is outstanding.</summary>
    public bool ReadingPlaintext { get; private set; }

    /// <summary>The peer's plaintext stream ended (close_notify, FIN or an error): read no more.</summary>
    public bool PlaintextEnded { get; private set; }

    /// <summary>The socket delivered its FIN: read no more from it.</summary>
    public bool SocketEnded { get; private set; }

    /// <summary>close_notify was requested (<see cref="Shutdown"/>).</summary>
    public bool ShuttingDown { get; private set; }

    /// <summary>After <see cref="Shutdown"/>: everything the layer had to say (close_notify last) is written and acked.</summary>
    public bool Drained => _cipherEnded && _inFlight is null;

    /// <summary>Whether the owner should request a socket read now (credit is the layer's bounded pipe, not the owner's).</summary>
    public bool MayReadSocket => !ReceivingCiphertext && !SocketEnded && !Failed;

    /// <summary>Starts the handshake and the ciphertext pump (the handshake writes first on the client side).</summary>
    public void Start()
    {
        _layer.HandshakeAsync().PipeTo(_owner, success: r => new HandshakeDone(r),
            failure: e => new HandshakeDone(TlsHandshakeResult.Failed(TlsFailure.Protocol, e.Message)));
        WatchCiphertext();
    }

    /// <summary>An outbound link sets its socket once connected (before <see cref="Start"/>).</summary>
    public void SetSocket(IActorRef socket) => _socket = socket;

    /// <summary>Routes <see cref="HandshakeDone"/>; returns the result for the owner to act on.</summary>
    public TlsHandshakeResult OnHandshakeDone(HandshakeDone done)
    {
        if (done.Result.Session is { } session)
        {
            Session = session;
            if (_heldWrite is { } held)
            {
                _heldWrite = null;
                Write(held.Data, held.Contiguous);
            }
        }
        else
        {
            Failed = true;
            _heldWrite = null;
        }

        return done.Result;
    }

    /// <summary>A socket read (ciphertext) for the layer. Only while not <see cref="ReceivingCiphertext"/>. True: the
    /// layer took it at once (the usual case: its pipe is below the pause mark), so the owner may request the next
    /// socket read now (<see cref="MayReadSocket"/>); false: <see cref="CiphertextTaken"/> follows once it has room.</summary>
    public bool Receive(ByteString data)
    {
        if (Failed || data.IsEmpty) return false;
        ReceivingCiphertext = true;
        // copied straight into the pipe's own memory (Akka.IO's read is one compact array: no allocation)
        var taken = _layer.TryReceiveCiphertext(data.ToReadOnlySpan(), out var pending);
        if (taken is { } open)
        {
            Taken(open);
            return true;
        }

        pending!.PipeTo(_owner, success: stillOpen => new CiphertextTaken(stillOpen), failure: _ => new CiphertextTaken(false));
        return false;
    }

    public void OnCiphertextTaken(CiphertextTaken taken) => Taken(taken.Open);

    private void Taken(bool open)
    {
        ReceivingCiphertext = false;
        if (!open) SocketEnded = true; // the layer reads no more: nor does the socket
        if (_eofPending)
        {
            _eofPending = false;
            _layer.SocketClosed();
        }
    }

    /// <summary>The peer's FIN: the layer ends its plaintext once what it has is decrypted.</summary>
    public void OnSocketEnded()
    {
        if (SocketEnded && !_eofPending && !ReceivingCiphertext) return;
        SocketEnded = true;
        if (ReceivingCiphertext) _eofPending = true; // SocketClosed only between receives
        else _layer.SocketClosed();
    }

    /// <summary>Requests the next plaintext read, unless one is outstanding or the stream ended.</summary>
    public void ReadPlaintext()
    {
        if (ReadingPlaintext || PlaintextEnded || !Established) return;
        ReadingPlaintext = true;
        _layer.ReadPlaintextAsync().PipeTo(_owner, success: r => new PlaintextIn(r),
            failure: e => new PlaintextIn(new TlsRead(ReadOnlyMemory<byte>.Empty, true, e.Message)));
    }

    public TlsRead OnPlaintextIn(PlaintextIn plaintext)
    {
        ReadingPlaintext = false;
        if (plaintext.Read.End) PlaintextEnded = true;
        return plaintext.Read;
    }

    /// <summary>The plaintext write of the owner's <see cref="AckWriter"/> (one at a time), encrypted inline and written
    /// to the socket; acked with <see cref="AckWriter.Ack"/> once the socket took its last ciphertext. Before the
    /// handshake it is held; after a failure it is dropped (the owner closes without waiting for it).</summary>
    public void Write(ByteString data, ArraySegment<byte> contiguous)
    {
        if (Failed || ShuttingDown) return;
        if (!Established)
        {
            _heldWrite = (data, contiguous); // the writer's array stays ours until the ack
            return;
        }

        _plain = data;
        _plainArray = contiguous.Count == data.Count ? contiguous : default;
        _plainDone = 0;
        if (data.IsEmpty) _ackAtNextTake = true; // nothing to encrypt: acked with the next socket write (or at once)
        EncryptAhead();
        PumpCiphertext();
    }

    /// <summary>The owner's AckWriter got <see cref="AckWriter.Ack"/>: when it was the ack of our socket write (it
    /// carried a plaintext write's last bytes) that write is no longer in flight, and what else is ready leaves.</summary>
    public void OnAck()
    {
        if (!_inFlightAcksPlaintext) return; // an ack given without a socket write (an empty write)
        _inFlightAcksPlaintext = false;
        ReleaseInFlight();
        PumpCiphertext();
    }

    /// <summary>Sends close_notify after the last plaintext write; <see cref="Drained"/> once it left.</summary>
    public void Shutdown()
    {
        if (ShuttingDown) return;
        ShuttingDown = true;
        if (Failed || !Established) _ = _layer.DisposeAsync().AsTask();
        else _ = _layer.ShutdownAsync();
    }

    /// <summary>Routes <see cref="CiphertextReady"/>: what SslStream wrote on its own leaves (one write in flight).</summary>
    public void OnCiphertextReady()
    {
        _watching = false;
        PumpCiphertext();
        if (_inFlight is null) WatchCiphertext(); // else re-armed at the next take: the bytes seen are still waiting
    }

    /// <summary>Routes <see cref="CiphertextWritten"/>: the socket took the last write; encrypt on, write the next.</summary>
    public void OnCiphertextWritten()
    {
        ReleaseInFlight();
        EncryptAhead();
        PumpCiphertext();
    }

    /// <summary>Routes <see cref="PlaintextEncrypted"/>: a step SslStream finished late.</summary>
    public void OnPlaintextEncrypted(PlaintextEncrypted encrypted)
    {
        _encrypting = false;
        ReturnStaging();
        if (!encrypted.Ok) DropPlaintext();
        else if (_plain is { } plain && _plainDone == plain.Count) PlaintextEncryptedWhole();
        EncryptAhead();
        PumpCiphertext();
    }

    /// <summary>Encrypts the plaintext write step by step while less than a step of ciphertext waits untaken (so at
    /// most one step is encrypted ahead of the socket write in flight).</summary>
    private void EncryptAhead()
    {
        while (_plain is { } plain && !_encrypting && _plainDone < plain.Count && _layer.PendingCiphertextBytes < TlsLayer.MaxEncryptBytes)
        {
            var step = Math.Min(TlsLayer.MaxEncryptBytes, plain.Count - _plainDone);
            var encrypt = _layer.EncryptInline(_plainArray.Array is not null
                ? _plainArray.AsMemory(_plainDone, step) // read in place: the writer does not touch it before our ack
                : Staged(plain.Slice(_plainDone, step)));
            _plainDone += step;
            if (encrypt.IsCompletedSuccessfully)
            {
                ReturnStaging();
                if (_plainDone == plain.Count) PlaintextEncryptedWhole();
                continue;
            }

            if (encrypt.IsCompleted)
            {
                ReturnStaging();
                _ = encrypt.AsTask().Exception; // observed: the layer is closed, which the read side reports
                DropPlaintext();
                return;
            }

            _encrypting = true;
            encrypt.AsTask().PipeTo(_owner, success: () => new PlaintextEncrypted(true), failure: _ => new PlaintextEncrypted(false));
            return;
        }
    }

    /// <summary>A step of a write made of several arrays (a fan-out batch's runs) as one array SslStream can take
    /// (ByteString lends out spans, not arrays), so its records are full: a pooled staging copy.</summary>
    private ReadOnlyMemory<byte> Staged(ByteString step)
    {
        _staging = System.Buffers.ArrayPool<byte>.Shared.Rent(step.Count);
        step.CopyTo(_staging, 0, step.Count);
        return _staging.AsMemory(0, step.Count);
    }

    private void ReturnStaging()
    {
        if (_staging is null) return;
        System.Buffers.ArrayPool<byte>.Shared.Return(_staging);
        _staging = null;
    }

    private void PlaintextEncryptedWhole()
    {
        _plain = null;
        _plainArray = default;
        _ackAtNextTake = true;
    }

    /// <summary>The layer is closed: the rest of the write cannot leave. The owner still gets its ack (it closes after
    /// its last ack, and learns why from the read side's end).</summary>
    private void DropPlaintext()
    {
        _plain = null;
        _plainArray = default;
        _ackAtNextTake = true;
    }

    /// <summary>One socket write in flight: takes all ciphertext ready and writes it, acked with
    /// <see cref="AckWriter.Ack"/> when it carries a plaintext write's last bytes.</summary>
    private void PumpCiphertext()
    {
        if (_inFlight is not null) return;
        var taken = _layer.TakeCiphertext(out var length, out var ended);
        if (taken is null)
        {
            if (ended) _cipherEnded = true;
            if (_ackAtNextTake)
            {
                // nothing on the wire carries it (an empty write, or the layer closed under it): acked at once
                _ackAtNextTake = false;
                _owner.Tell(AckWriter.Ack.Instance);
            }

            return;
        }

        _inFlight = taken;
        _inFlightAcksPlaintext = _ackAtNextTake;
        _ackAtNextTake = false;
        _countOut?.Invoke(length);
        _socket.Tell(Tcp.Write.Create(ByteString.FromBytes(taken, 0, length),
            _inFlightAcksPlaintext ? AckWriter.Ack.Instance : CiphertextWritten.Instance));
        WatchCiphertext();
        EncryptAhead(); // the next step, while this one is on its way
    }

    private void ReleaseInFlight()
    {
        if (_inFlight is null) return;
        TlsLayer.ReturnCiphertext(_inFlight);
        _inFlight = null;
    }

    /// <summary>Keeps one wait armed for ciphertext SslStream writes on its own, until the layer ends.</summary>
    private void WatchCiphertext()
    {
        if (_watching || _cipherEnded) return;
        _watching = true;
        _layer.WhenCiphertextReadyAsync().PipeTo(_owner, success: () => CiphertextReady.Instance, failure: _ => CiphertextReady.Instance);
    }

    /// <summary>Ends the layer (the owner stops). Outstanding steps complete with End; their messages go nowhere.</summary>
    public void Dispose() => _ = _layer.DisposeAsync().AsTask();
}
