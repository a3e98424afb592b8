using System.Buffers;
using System.IO.Pipelines;

namespace ActorNet.Transport.Tls;

/// <summary>
/// The "socket" SslStream sees: reads come from the pipe the connection fills with ciphertext from Akka.IO, writes go
/// to the <see cref="CiphertextOutbox"/> the connection takes its socket writes from. Async only (SslStream is only
/// ever called through its async API here). Remembers the first byte it delivered, so a handshake failure can say
/// "this was not TLS at all".
/// </summary>
internal sealed class PipeDuplexStream(PipeReader input, CiphertextOutbox output) : Stream
{
    /// <summary>TLS record content type 22: every ClientHello starts with it.</summary>
    public const byte HandshakeRecord = 0x16;

    private int _firstByte = -1;

    /// <summary>The first byte read from the socket side, -1 while nothing has arrived.</summary>
    public int FirstByte => _firstByte;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var available = result.Buffer;
            if (!available.IsEmpty)
            {
                var count = (int)Math.Min(available.Length, buffer.Length);
                available.Slice(0, count).CopyTo(buffer.Span);
                if (_firstByte < 0 && count > 0) _firstByte = buffer.Span[0];
                input.AdvanceTo(available.GetPosition(count));
                return count;
            }

            input.AdvanceTo(available.End);
            if (result.IsCompleted || result.IsCanceled) return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Completes at once for the connection's own inline encrypting; SslStream's own writes wait while the
    /// socket side holds more than the outbox's bound: the backpressure that stops it encrypting into an unbounded
    /// buffer.</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return output.WriteAsync(buffer.Span);
        }
        catch (IOException e)
        {
            return ValueTask.FromException(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask; // WriteAsync flushes

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.Complete();
            output.Complete();
        }

        base.Dispose(disposing);
    }
}
