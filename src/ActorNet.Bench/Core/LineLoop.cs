using System.Buffers;
using System.Net.Sockets;

namespace ActorNet.Bench.Core;

/// <summary>Receives one line at a time (CRLF or LF stripped). Returning false stops the read loop.</summary>
public interface ILineSink
{
    /// <summary>Handles one line; false = stop reading.</summary>
    bool OnLine(ReadOnlySpan<byte> line);
}

/// <summary>A line sink that wants to know when each read completed (before its lines are handed over).</summary>
public interface IReadAware
{
    /// <summary>A receive returned <paramref name="bytes"/> bytes; its lines follow.</summary>
    void OnRead(int bytes);
}

/// <summary>A read loop with large reads and in-place line splitting: no allocation per line.</summary>
public static class LineLoop
{
    /// <summary>Default read size: one receive call moves up to this many bytes.</summary>
    public const int DefaultBufferBytes = 64 * 1024;

    /// <summary>Longest line accepted (the buffer grows to this, then the loop fails).</summary>
    public const int MaxLineBytes = 1024 * 1024;

    /// <summary>Reads until EOF, cancellation, or the sink returns false. Returns true on a clean EOF or stop.</summary>
    public static Task<bool> RunAsync(Socket socket, ILineSink sink, CancellationToken ct, int bufferBytes = DefaultBufferBytes) =>
        RunAsync((buffer, token) => socket.ReceiveAsync(buffer, SocketFlags.None, token), sink, ct, bufferBytes);

    /// <summary>The same over a stream (a TLS session, say); null = the socket.</summary>
    public static Task<bool> RunAsync(Socket socket, Stream? stream, ILineSink sink, CancellationToken ct, int bufferBytes = DefaultBufferBytes) =>
        stream is null ? RunAsync(socket, sink, ct, bufferBytes) : RunAsync((buffer, token) => stream.ReadAsync(buffer, token), sink, ct, bufferBytes);

    private static async Task<bool> RunAsync(Func<Memory<byte>, CancellationToken, ValueTask<int>> receive, ILineSink sink, CancellationToken ct, int bufferBytes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        var readAware = sink as IReadAware;
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    else
                    {
                        if (buffer.Length >= MaxLineBytes)
                            throw new InvalidDataException($"line longer than {MaxLineBytes} bytes");
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }
                int n = await receive(buffer.AsMemory(end), ct).ConfigureAwait(false);
                if (n == 0)
                    return true;
                end += n;
                readAware?.OnRead(n);
                if (!Split(buffer, ref start, end, sink))
                    return true;
                if (start == end)
                    start = end = 0;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Hands every complete line in buffer[start..end) to the sink; advances start past them.</summary>
    public static bool Split(byte[] buffer, ref int start, int end, ILineSink sink)
    {
        while (start < end)
        {
            int nl = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (nl < 0)
                return true;
            int len = nl > 0 && buffer[start + nl - 1] == (byte)'\r' ? nl - 1 : nl;
            var line = buffer.AsSpan(start, len);
            start += nl + 1;
            if (!sink.OnLine(line))
                return false;
        }
        return true;
    }
}
