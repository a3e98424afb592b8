using System.Buffers;

namespace ActorNet.Transport.Tls;

/// <summary>
/// Where <see cref="System.Net.Security.SslStream"/> writes its ciphertext (through <see cref="PipeDuplexStream"/>):
/// one pooled array that the owner takes whole and hands to Akka.IO as one <c>Tcp.Write</c>, with no pipe, thread hop
/// or copy in between. Two kinds of writer fill it: the owner itself, encrypting its plaintext inline on its own thread
/// (<see cref="BeginInline"/>; it takes the ciphertext right after, so nobody is woken), and SslStream on its own
/// (handshake flights, close_notify, anything the read side must answer), which wakes <see cref="WhenReadyAsync"/> and,
/// past <see cref="BoundBytes"/>, waits until the owner took the bytes: the bound the pipe's pause threshold was.
/// The inline writer keeps its own bound (it encrypts only while <see cref="PendingBytes"/> is below its chunk size).
/// Thread-safe (one lock); the taken array belongs to the taker until it gives it back with <see cref="Return"/>.
/// </summary>
internal sealed class CiphertextOutbox
{
    /// <summary>The first array's size: a handshake flight or a few fan-out lines fit.</summary>
    private const int MinArrayBytes = 16 * 1024;

    private readonly object _lock = new();
    private byte[]? _buffer;
    private int _length;
    private bool _completed;
    private bool _inline;

    /// <summary>SslStream wrote on its own since the last take (inline writes do not count: their writer takes them).</summary>
    private bool _unseen;
    private TaskCompletionSource? _ready;
    private TaskCompletionSource? _drained;

    /// <param name="boundBytes">most bytes an SslStream-driven (not inline) write may leave untaken before it waits</param>
    public CiphertextOutbox(long boundBytes) => BoundBytes = (int)Math.Clamp(boundBytes, MinArrayBytes, Array.MaxLength / 2);

    public int BoundBytes { get; }

    /// <summary>Bytes written and not taken yet.</summary>
    public int PendingBytes
    {
        get
        {
            lock (_lock) return _length;
        }
    }

    /// <summary>Appends ciphertext. Inline: never waits. Otherwise wakes <see cref="WhenReadyAsync"/>, and waits while more
    /// than <see cref="BoundBytes"/> are untaken. Throws once <see cref="Complete"/>d (the socket side is gone).</summary>
    public ValueTask WriteAsync(ReadOnlySpan<byte> bytes)
    {
        TaskCompletionSource? wake = null;
        Task? wait = null;
        lock (_lock)
        {
            if (_completed) throw new IOException("the connection's socket side is closed");
            Append(bytes);
            if (!_inline)
            {
                _unseen = true;
                (wake, _ready) = (_ready, null);
                if (_length > BoundBytes) wait = (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }

        wake?.TrySetResult();
        return wait is null ? default : new ValueTask(wait);
    }

    /// <summary>Completes once SslStream wrote on its own since the last take, or the outbox is complete; not woken by
    /// inline writes (their writer takes what it wrote).</summary>
    public Task WhenReadyAsync()
    {
        lock (_lock)
        {
            if (_unseen || _completed) return Task.CompletedTask;
            return (_ready ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>Marks the owner's own encrypting (until disposed): its writes wake nobody, it takes the bytes itself.</summary>
    public InlineScope BeginInline()
    {
        lock (_lock) _inline = true;
        return new InlineScope(this);
    }

    /// <summary>Everything written so far, as one array the caller owns until <see cref="Return"/>; null when there is
    /// nothing (then <paramref name="ended"/> says whether anything ever will be).</summary>
    public byte[]? TakeAll(out int length, out bool ended)
    {
        TaskCompletionSource? drained;
        byte[]? taken;
        lock (_lock)
        {
            ended = _completed && _length == 0;
            (taken, length) = _length == 0 ? (null, 0) : (_buffer, _length);
            if (taken is not null) (_buffer, _length) = (null, 0);
            _unseen = false;
            (drained, _drained) = (_drained, null);
        }

        drained?.TrySetResult();
        return taken;
    }

    /// <summary>At most <paramref name="maxBytes"/> of what was written, copied out (the async API, for tests and a
    /// caller without a socket actor).</summary>
    public byte[] TakeCopy(int maxBytes, out bool ended)
    {
        TaskCompletionSource? drained = null;
        byte[] copy;
        lock (_lock)
        {
            ended = _completed && _length == 0;
            var n = Math.Min(_length, maxBytes);
            copy = _buffer.AsSpan(0, n).ToArray();
            if (n > 0)
            {
                _buffer.AsSpan(n, _length - n).CopyTo(_buffer);
                _length -= n;
                if (_length <= BoundBytes) (drained, _drained) = (_drained, null);
            }

            if (_length == 0) _unseen = false;
        }

        drained?.TrySetResult();
        return copy;
    }

    /// <summary>Gives a taken array back (after Akka.IO acked the write that carried it).</summary>
    public static void Return(byte[] taken) => ArrayPool<byte>.Shared.Return(taken);

    /// <summary>No more ciphertext: takes report the end once empty, writers fail, waiters are released.</summary>
    public void Complete()
    {
        TaskCompletionSource? ready, drained;
        lock (_lock)
        {
            _completed = true;
            (ready, _ready) = (_ready, null);
            (drained, _drained) = (_drained, null);
        }

        ready?.TrySetResult();
        drained?.TrySetResult();
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var needed = _length + bytes.Length;
        if (_buffer is null || needed > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(MinArrayBytes, (_buffer?.Length ?? 0) * 2)));
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = bigger;
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length = needed;
    }

    /// <summary>Ends an inline write (see <see cref="BeginInline"/>).</summary>
    public readonly struct InlineScope(CiphertextOutbox outbox) : IDisposable
    {
        public void Dispose()
        {
            lock (outbox._lock) outbox._inline = false;
        }
    }
}
