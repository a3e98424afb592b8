using System.Net;
using System.Net.Sockets;

namespace ActorNet.Bench.Baseline;

/// <summary>What the baseline server speaks.</summary>
public enum BaselineMode
{
    /// <summary>Just enough IRC for the fan-out and connect workloads.</summary>
    Irc,

    /// <summary>Every line comes back to its sender.</summary>
    Echo,
}

/// <summary>
/// The raw-socket baseline: no actors, plain async sockets. Per connection: zero-byte reads (no receive buffer held
/// while idle), lines split in a pooled buffer, and a coalescing send queue (one send in flight; frames queued
/// meanwhile leave together). A fan-out line is formatted once and copied into each member's queue.
/// </summary>
public sealed class BaselineServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, BaselineChannel> _channels = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _acceptLoop;
    private long _accepted;
    private int _open;

    private BaselineServer(Socket listener, BaselineMode mode)
    {
        _listener = listener;
        Mode = mode;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The protocol spoken.</summary>
    public BaselineMode Mode { get; }

    /// <summary>The bound endpoint (port 0 resolved).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Connections accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Most bytes queued for one client before it is cut as a slow consumer.</summary>
    public int SendQueueLimitBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Binds and starts accepting.</summary>
    public static BaselineServer Start(IPEndPoint endPoint, BaselineMode mode)
    {
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(endPoint);
            listener.Listen(4096);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new BaselineServer(listener, mode);
    }

    internal BaselineChannel Channel(string name)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue(name, out var channel))
                _channels[name] = channel = new BaselineChannel(name);
            return channel;
        }
    }

    internal void Closed(BaselineConnection connection)
    {
        Interlocked.Decrement(ref _open);
        BaselineChannel[] channels;
        lock (_channels)
            channels = _channels.Values.ToArray();
        foreach (var c in channels)
            c.Remove(connection);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) when (!_stop.IsCancellationRequested) { continue; }
            catch (SocketException) { return; }
            socket.NoDelay = true;
            Interlocked.Increment(ref _accepted);
            Interlocked.Increment(ref _open);
            var connection = new BaselineConnection(socket, this);
            _ = connection.RunAsync(_stop.Token);
        }
    }

    /// <summary>Stops accepting and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }
}

/// <summary>A channel: copy-on-write member array, read without locks on the fan-out path.</summary>
internal sealed class BaselineChannel(string name)
{
    private readonly Lock _gate = new();
    private BaselineConnection[] _members = [];

    public string Name { get; } = name;

    public BaselineConnection[] Members => Volatile.Read(ref _members);

    public bool Add(BaselineConnection c)
    {
        lock (_gate)
        {
            if (_members.Contains(c))
                return false;
            _members = [.. _members, c];
            return true;
        }
    }

    public void Remove(BaselineConnection c)
    {
        lock (_gate)
            if (_members.Contains(c))
                _members = _members.Where(m => m != c).ToArray();
    }
}
