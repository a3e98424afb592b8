using Akka.Actor;
using Akka.IO;

namespace ActorNet.Transport.Tls;

/// <summary>
/// A <see cref="TlsLayer"/> bound to one Akka.IO socket and the actor that owns it (the accepted connection, or the
/// forward handler's upstream link): it moves ciphertext between the socket and the layer and turns every async step
/// of the layer into a message to the owner (PipeTo), so the owner never blocks and stays the only actor of the
/// socket. Only ever called on the owner's thread; it holds the "one call of each kind outstanding" discipline of
/// <see cref="TlsLayer"/> as plain flags, so the owner only routes the messages below to it.
/// <para>Flow control: at most one socket read is fed to the layer at a time (the owner asks Akka.IO for the next read
/// only once <see cref="CiphertextTaken"/> came back), one plaintext read is outstanding only while the owner has
/// credit, one ciphertext write is in flight to the socket (acked with <see cref="CiphertextWritten"/>), and one
/// plaintext write (the owner's <see cref="AckWriter"/> write, acked with <see cref="AckWriter.Ack"/> once the layer
/// took it). Both pipes of the layer are bounded, so a consumer that stops reading stops socket reads.</para>
/// </summary>
public sealed class TlsChannel : IWriteSink
{
    /// <summary>The handshake finished (or failed: then close with <see cref="DisconnectReason.TlsHandshakeFailed"/>).</summary>
    public sealed record HandshakeDone(TlsHandshakeResult Result);

    /// <summary>Ciphertext the layer produced (handshake, records, alerts), for the socket; End once it is closed.</summary>
    public sealed record CiphertextOut(TlsRead Read);

    /// <summary>The layer took the last socket read: the owner may request the next (<see cref="MayReadSocket"/>).</summary>
    public sealed record CiphertextTaken(bool Open);

    /// <summary>Decrypted bytes for the framing, or the end of the peer's stream (close_notify, FIN, or a TLS error).</summary>
    public sealed record PlaintextIn(TlsRead Read);

    /// <summary>The ack of a ciphertext write to the socket.</summary>
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
    private bool _cipherInFlight;
    private bool _cipherReadPending;
    private bool _cipherEnded;
    private bool _eofPending;
    private ByteString? _heldWrite;

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
    public bool Drained => _cipherEnded && !_cipherInFlight;

    /// <summary>Whether the owner should request a socket read now (credit is the layer's bounded pipe, not the owner's).</summary>
    public bool MayReadSocket => !ReceivingCiphertext && !SocketEnded && !Failed;

    /// <summary>Starts the handshake and the ciphertext pump (the handshake writes first on the client side).</summary>
    public void Start()
    {
        _layer.HandshakeAsync().PipeTo(_owner, success: r => new HandshakeDone(r),
            failure: e => new HandshakeDone(TlsHandshakeResult.Failed(TlsFailure.Protocol, e.Message)));
        PumpCiphertext();
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
                Write(held);
            }
        }
        else
        {
            Failed = true;
            _heldWrite = null;
        }

        return done.Result;
    }

    /// <summary>A socket read (ciphertext) for the layer. Only while not <see cref="ReceivingCiphertext"/>.</summary>
    public void Receive(ByteString data)
    {
        if (Failed || data.IsEmpty) return;
        ReceivingCiphertext = true;
        // a copy: ByteString does not hand out its memory, and the layer holds the bytes past this call
        _layer.ReceiveCiphertextAsync(data.ToArray()).PipeTo(_owner, success: open => new CiphertextTaken(open),
            failure: _ => new CiphertextTaken(false));
    }

    public void OnCiphertextTaken(CiphertextTaken taken)
    {
        ReceivingCiphertext = false;
        if (!taken.Open) SocketEnded = true; // the layer reads no more: nor does the socket
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

    /// <summary>The plaintext write of the owner's <see cref="AckWriter"/> (one at a time); acked with
    /// <see cref="AckWriter.Ack"/> once the layer took it all (its bounded pipe is then below the pause mark).
    /// Before the handshake it is held; after a failure it is dropped (the owner closes without waiting for it).</summary>
    public void Write(ByteString data)
    {
        if (Failed || ShuttingDown) return;
        if (!Established)
        {
            _heldWrite = data;
            return;
        }

        // a copy (ByteString does not hand out its memory); SslStream encrypts it into the pipe before the ack
        _layer.WritePlaintextAsync(data.ToArray()).PipeTo(_owner, success: _ => AckWriter.Ack.Instance, failure: _ => AckWriter.Ack.Instance);
    }

    /// <summary>Sends close_notify after the last plaintext write; <see cref="Drained"/> once it left.</summary>
    public void Shutdown()
    {
        if (ShuttingDown) return;
        ShuttingDown = true;
        if (Failed || !Established) _ = _layer.DisposeAsync().AsTask();
        else _ = _layer.ShutdownAsync();
    }

    /// <summary>Routes <see cref="CiphertextOut"/>: writes it to the socket (one write in flight).</summary>
    public void OnCiphertextOut(CiphertextOut output)
    {
        _cipherReadPending = false;
        var read = output.Read;
        if (read.End)
        {
            _cipherEnded = true;
            return;
        }

        if (read.Data.IsEmpty)
        {
            PumpCiphertext();
            return;
        }

        _cipherInFlight = true;
        _countOut?.Invoke(read.Data.Length);
        _socket.Tell(Tcp.Write.Create(ByteString.FromBytes(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(read.Data, out var segment)
            ? segment : new ArraySegment<byte>(read.Data.ToArray())), CiphertextWritten.Instance));
    }

    /// <summary>Routes <see cref="CiphertextWritten"/>: the socket took the last write; read the next.</summary>
    public void OnCiphertextWritten()
    {
        _cipherInFlight = false;
        PumpCiphertext();
    }

    private void PumpCiphertext()
    {
        if (_cipherReadPending || _cipherEnded) return;
        _cipherReadPending = true;
        _layer.ReadCiphertextAsync().PipeTo(_owner, success: r => new CiphertextOut(r),
            failure: _ => new CiphertextOut(TlsRead.Ended));
    }

    /// <summary>Ends the layer (the owner stops). Outstanding steps complete with End; their messages go nowhere.</summary>
    public void Dispose() => _ = _layer.DisposeAsync().AsTask();
}
