using System.Buffers;
using System.Net.Sockets;
using System.Text;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Baseline;

/// <summary>One baseline client: zero-byte-read receive loop, minimal IRC or echo, coalescing send queue.</summary>
internal sealed class BaselineConnection : ILineSink
{
    private const int ReadBytes = 16 * 1024;
    private static readonly byte[] ServerPrefix = ":bench "u8.ToArray();

    private readonly Socket _socket;
    private readonly BaselineServer _server;
    private readonly Lock _sendGate = new();
    private readonly List<BaselineConnection> _toFlush = new();   // queues this reader filled; sent after each read
    private byte[]? _pending;
    private int _pendingLength;
    private bool _sending;
    private bool _closed;
    private int _closeOnce;
    private string? _nick;
    private bool _user;
    private byte[]? _source;   // ":nick!nick@bench "

    public BaselineConnection(Socket socket, BaselineServer server)
    {
        _socket = socket;
        _server = server;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        byte[]? carry = null;   // a partial line between reads (rare); nothing is held while idle
        int carryLength = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ct).ConfigureAwait(false);
                var buffer = ArrayPool<byte>.Shared.Rent(ReadBytes + carryLength);
                try
                {
                    if (carry is not null)
                    {
                        Buffer.BlockCopy(carry, 0, buffer, 0, carryLength);
                        ArrayPool<byte>.Shared.Return(carry);
                        carry = null;
                    }
                    int n = await _socket.ReceiveAsync(buffer.AsMemory(carryLength), SocketFlags.None, ct).ConfigureAwait(false);
                    if (n == 0)
                        return;
                    int end = carryLength + n, start = 0;
                    carryLength = 0;
                    bool more = LineLoop.Split(buffer, ref start, end, this);
                    // Flush after the whole read: every line of this read leaves in one send per receiver.
                    foreach (var c in _toFlush)
                        _ = c.SendLoopAsync();
                    _toFlush.Clear();
                    if (!more)
                        return;
                    if (start < end)
                    {
                        carryLength = end - start;
                        if (carryLength > 64 * 1024)
                            return; // line too long
                        carry = ArrayPool<byte>.Shared.Rent(carryLength);
                        Buffer.BlockCopy(buffer, start, carry, 0, carryLength);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        finally
        {
            if (carry is not null)
                ArrayPool<byte>.Shared.Return(carry);
            Close();
        }
    }

    public bool OnLine(ReadOnlySpan<byte> line)
    {
        if (_server.Mode == BaselineMode.Echo)
        {
            Enqueue(line, "\n"u8, _toFlush);
            return true;
        }
        var cmd = IrcLine.Command(line, out var rest);
        if (cmd.SequenceEqual("PRIVMSG"u8) || cmd.SequenceEqual("NOTICE"u8))
            Privmsg(line, rest);
        else if (cmd.SequenceEqual("PING"u8))
            Reply($":bench PONG bench :{Encoding.ASCII.GetString(IrcLine.Trailing(rest))}\r\n");
        else if (cmd.SequenceEqual("NICK"u8))
            Register(nick: Encoding.ASCII.GetString(FirstParam(rest)));
        else if (cmd.SequenceEqual("USER"u8))
            Register(nick: null);
        else if (cmd.SequenceEqual("JOIN"u8) && _source is not null)
            Join(Encoding.ASCII.GetString(FirstParam(rest)));
        else if (cmd.SequenceEqual("QUIT"u8))
            return false;
        return true;
    }

    private void Register(string? nick)
    {
        if (nick is not null)
            _nick = nick;
        else
            _user = true;
        if (_source is null && _nick is not null && _user)
        {
            _source = Encoding.ASCII.GetBytes($":{_nick}!{_nick}@bench ");
            Reply($":bench 001 {_nick} :Welcome to the ActorNet bench baseline\r\n");
        }
    }

    private void Join(string name)
    {
        var channel = _server.Channel(name);
        if (!channel.Add(this))
            return;
        var join = Encoding.ASCII.GetBytes($"{Encoding.ASCII.GetString(_source!)}JOIN {name}\r\n");
        foreach (var m in channel.Members)
            m.Enqueue(join, default, _toFlush);
        Reply($":bench 353 {_nick} = {name} :{_nick}\r\n:bench 366 {_nick} {name} :End of /NAMES list.\r\n");
    }

    private void Privmsg(ReadOnlySpan<byte> line, ReadOnlySpan<byte> rest)
    {
        if (_source is null)
            return;
        var target = FirstParam(rest);
        if (target.IsEmpty || target[0] != (byte)'#')
            return;
        var channel = _server.Channel(Encoding.ASCII.GetString(target));
        // Format once: ":nick!nick@bench " + the client's line from the command on + CRLF; copied into each queue.
        var command = line[0] == (byte)':' ? line[(line.IndexOf((byte)' ') + 1)..] : line;
        int length = _source.Length + command.Length + 2;
        var frame = ArrayPool<byte>.Shared.Rent(length);
        _source.CopyTo(frame, 0);
        command.CopyTo(frame.AsSpan(_source.Length));
        frame[length - 2] = (byte)'\r';
        frame[length - 1] = (byte)'\n';
        foreach (var m in channel.Members)
            if (m != this)
                m.Enqueue(frame.AsSpan(0, length), default, _toFlush);
        ArrayPool<byte>.Shared.Return(frame);
    }

    private static ReadOnlySpan<byte> FirstParam(ReadOnlySpan<byte> rest)
    {
        if (!rest.IsEmpty && rest[0] == (byte)':')
            return rest[1..];
        int sp = rest.IndexOf((byte)' ');
        return sp < 0 ? rest : rest[..sp];
    }

    private void Reply(string text) => Enqueue(Encoding.ASCII.GetBytes(text), default, _toFlush);

    /// <summary>
    /// Copies <paramref name="a"/> + <paramref name="b"/> into the pending buffer. If no send is in flight this
    /// connection is added to <paramref name="flush"/>; the caller starts its send loop after the current read.
    /// </summary>
    public void Enqueue(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, List<BaselineConnection> flush)
    {
        bool start;
        lock (_sendGate)
        {
            if (_closed)
                return;
            int need = _pendingLength + a.Length + b.Length;
            if (need > _server.SendQueueLimitBytes)
            {
                _closed = true;
                _socket.Dispose(); // slow consumer
                return;
            }
            if (_pending is null || _pending.Length < need)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(need, 4096));
                if (_pending is not null)
                {
                    Buffer.BlockCopy(_pending, 0, bigger, 0, _pendingLength);
                    ArrayPool<byte>.Shared.Return(_pending);
                }
                _pending = bigger;
            }
            a.CopyTo(_pending.AsSpan(_pendingLength));
            b.CopyTo(_pending.AsSpan(_pendingLength + a.Length));
            _pendingLength = need;
            start = !_sending;
            _sending = true;
        }
        if (start)
            flush.Add(this);
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                byte[] data;
                int length;
                lock (_sendGate)
                {
                    if (_pendingLength == 0 || _closed)
                    {
                        _sending = false;
                        if (_pending is not null && _pendingLength == 0)
                        {
                            ArrayPool<byte>.Shared.Return(_pending); // idle: hold no buffer
                            _pending = null;
                        }
                        return;
                    }
                    data = _pending!;
                    length = _pendingLength;
                    _pending = null;
                    _pendingLength = 0;
                }
                int sent = 0;
                while (sent < length)
                    sent += await _socket.SendAsync(data.AsMemory(sent, length - sent), SocketFlags.None).ConfigureAwait(false);
                lock (_sendGate)
                {
                    if (_pending is null && data.Length <= 64 * 1024)
                        _pending = data; // reuse the array for the next batch
                    else
                        ArrayPool<byte>.Shared.Return(data);
                }
            }
        }
        catch (SocketException) { Close(); }
        catch (ObjectDisposedException) { Close(); }
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _closeOnce, 1) == 1)
            return;
        lock (_sendGate)
            _closed = true;
        _socket.Dispose();
        _server.Closed(this);
    }
}
