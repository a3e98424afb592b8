using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Clients;

/// <summary>Wire protocol of a fan-out client.</summary>
public enum FanoutProtocol
{
    /// <summary>IRC: NICK/USER, JOIN a channel, PRIVMSG to it.</summary>
    Irc,

    /// <summary>NATS text protocol: CONNECT (echo off), SUB one subject, PUB to it.</summary>
    Nats,
}

/// <summary>
/// One fan-out client: a read loop (minimal parsing, delivery accounting, latency) and a writer loop that packs many
/// messages into one large pooled buffer per send. Control replies (PONG) share the socket through a send lock.
/// </summary>
internal sealed class FanoutClient : ILineSink, IReadAware, IDisposable
{
    private readonly FanoutShared _shared;
    private readonly Socket _socket;
    private System.Net.Security.SslStream? _tls;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly long _expected;
    private bool _expectNatsPayload;

    public FanoutClient(int id, FanoutShared shared)
    {
        Id = id;
        _shared = shared;
        _socket = new Socket(shared.Options.Host.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Tracker = new DeliveryTracker(shared.Options.Clients, shared.Options.Messages);
        _expected = (long)(shared.Options.Clients - 1) * shared.Options.Messages;
    }

    public int Id { get; }
    public DeliveryTracker Tracker { get; }
    public LatencyHistogram Latency { get; } = new();
    public long LastDeliveryTimestamp { get; private set; }
    public long Sent => Volatile.Read(ref _sent);
    public string? Error { get; private set; }
    public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Registered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public bool Done => Tracker.Received >= _expected;

    private long _sent;
    private long _readTimestamp;

    /// <summary>Every line of one read arrived together: they share the read's receive time (one clock read per
    /// read, not per line, which also keeps the client's own line processing out of the latency).</summary>
    public void OnRead(int bytes) => _readTimestamp = Stopwatch.GetTimestamp();

    public async Task ConnectAsync(EndPoint endPoint, CancellationToken ct)
    {
        await _socket.ConnectAsync(endPoint, ct).ConfigureAwait(false);
        if (_shared.Options.Tls) _tls = await BenchTls.ConnectAsync(_socket, ct).ConfigureAwait(false);
        string hello = _shared.Protocol == FanoutProtocol.Irc
            ? $"NICK bench{Id}\r\nUSER bench{Id} 0 * :bench client {Id}\r\n"
            : "CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":false,\"name\":\"bench" + Id + "\"}\r\n"
              + $"SUB {_shared.Options.Channel} 1\r\nPING\r\n";
        await SendTextAsync(hello, ct).ConfigureAwait(false);
    }

    public Task JoinAsync(CancellationToken ct) =>
        SendTextAsync($"JOIN {_shared.Options.Channel}\r\n", ct);

    public async Task ReadLoopAsync(CancellationToken ct)
    {
        try
        {
            await LineLoop.RunAsync(_socket, _tls, this, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
        {
            Error ??= $"client {Id}: {ex.Message}";
        }
        var closed = new IOException(Error ?? $"client {Id}: connection closed before it was ready");
        Registered.TrySetException(closed);
        Ready.TrySetException(closed);
    }

    public bool OnLine(ReadOnlySpan<byte> line)
    {
        if (_shared.Protocol == FanoutProtocol.Nats)
            return OnNatsLine(line);
        var cmd = IrcLine.Command(line, out var rest);
        if (cmd.SequenceEqual("PRIVMSG"u8))
            Deliver(IrcLine.Trailing(rest));
        else if (cmd.SequenceEqual("PING"u8))
            Control("PONG :" + Encoding.ASCII.GetString(IrcLine.Trailing(rest)) + "\r\n");
        else if (cmd.SequenceEqual("001"u8))
            Registered.TrySetResult();
        else if (cmd.SequenceEqual("366"u8))
            Ready.TrySetResult();
        else if (cmd.SequenceEqual("ERROR"u8) || (!Registered.Task.IsCompleted && cmd.Length == 3 && cmd[0] is (byte)'4' or (byte)'5'))
            Fail(Encoding.ASCII.GetString(line));
        return true;
    }

    private bool OnNatsLine(ReadOnlySpan<byte> line)
    {
        if (_expectNatsPayload)
        {
            _expectNatsPayload = false;
            Deliver(line);
        }
        else if (line.StartsWith("MSG "u8))
            _expectNatsPayload = true;
        else if (line.SequenceEqual("PING"u8))
            Control("PONG\r\n");
        else if (line.SequenceEqual("PONG"u8))
            Ready.TrySetResult();
        else if (line.StartsWith("-ERR"u8))
            Fail(Encoding.ASCII.GetString(line));
        return true;
    }

    private void Fail(string line)
    {
        Error ??= $"client {Id}: {line}";
        Registered.TrySetException(new IOException(Error));
        Ready.TrySetException(new IOException(Error));
    }

    private void Deliver(ReadOnlySpan<byte> body)
    {
        if (!Payload.TryRead(body, out int sender, out long seq, out long ts) || sender == Id)
        {
            Tracker.RecordInvalid();
            return;
        }
        long now = _readTimestamp;
        if (!Tracker.Record(sender, seq))
            return;
        if (_shared.Options.Window > 0) // only the windowed sender reads it (a shared array: cache-line traffic)
            _shared.Progress[(long)Id * _shared.Options.Clients + sender] = seq + 1;
        Latency.Record((now - ts) * 1_000_000 / Stopwatch.Frequency);
        LastDeliveryTimestamp = now;
        if (Tracker.Received == _expected)
            _shared.ReceiverDone();
    }

    /// <summary>Sends M messages: batched as fast as possible, or one per tick when rate-capped.</summary>
    public async Task SendLoopAsync(CancellationToken ct)
    {
        var o = _shared.Options;
        int lineMax = o.Size + Payload.MaxHeaderBytes + o.Channel.Length + 48;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(32 * 1024, lineMax * 4));
        int pos = 0;
        long start = Stopwatch.GetTimestamp();
        try
        {
            for (long seq = 0; seq < o.Messages; seq++)
            {
                if (o.Rate > 0)
                {
                    // Senders are spread evenly over one interval so they do not all fire on the same tick.
                    long due = start + (long)((seq + (double)Id / o.Clients) * Stopwatch.Frequency / o.Rate);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.FromMilliseconds(1))
                        await Task.Delay(wait, ct).ConfigureAwait(false);
                }
                else if (o.Window > 0 && (seq & 31) == 0)
                {
                    if (pos > 0)
                    {
                        await SendAsync(buffer.AsMemory(0, pos), ct).ConfigureAwait(false);
                        pos = 0;
                    }
                    while (seq - _shared.SlowestReceiverOf(Id) > o.Window)
                        await Task.Delay(1, ct).ConfigureAwait(false);
                }
                if (pos + lineMax > buffer.Length)
                {
                    await SendAsync(buffer.AsMemory(0, pos), ct).ConfigureAwait(false);
                    pos = 0;
                }
                pos += WriteMessage(buffer.AsSpan(pos), seq);
                Volatile.Write(ref _sent, seq + 1);
                if (o.Rate > 0 || seq == o.Messages - 1)
                {
                    await SendAsync(buffer.AsMemory(0, pos), ct).ConfigureAwait(false);
                    pos = 0;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            Error ??= $"client {Id}: send failed: {ex.Message}";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int WriteMessage(Span<byte> dest, long seq)
    {
        var o = _shared.Options;
        long ts = Stopwatch.GetTimestamp();
        int pos = 0;
        if (_shared.Protocol == FanoutProtocol.Irc)
        {
            _shared.LinePrefix.CopyTo(dest);
            pos = _shared.LinePrefix.Length;
        }
        else
        {
            int len = Payload.Length(o.Size, Id, seq, ts);
            _shared.LinePrefix.CopyTo(dest);
            pos = _shared.LinePrefix.Length;
            Utf8Formatter.TryFormat(len, dest[pos..], out int w);
            pos += w;
            dest[pos++] = (byte)'\r';
            dest[pos++] = (byte)'\n';
        }
        pos += Payload.Write(dest[pos..], o.Size, Id, seq, ts);
        dest[pos++] = (byte)'\r';
        dest[pos++] = (byte)'\n';
        return pos;
    }

    private void Control(string text) => _ = SendTextAsync(text, CancellationToken.None);

    private async Task SendTextAsync(string text, CancellationToken ct)
    {
        try
        {
            await SendAsync(Encoding.ASCII.GetBytes(text), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            Error ??= $"client {Id}: send failed: {ex.Message}";
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_tls is not null) await _tls.WriteAsync(data, ct).ConfigureAwait(false);
            else while (!data.IsEmpty)
            {
                int n = await _socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);
                data = data[n..];
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public void Dispose()
    {
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _tls?.Dispose();
        _socket.Dispose();
    }
}
