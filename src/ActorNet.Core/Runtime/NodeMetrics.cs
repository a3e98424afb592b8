using System.Collections.Concurrent;
using ActorNet.Transport;

using ActorNet.Faults;

namespace ActorNet.Runtime;

/// <summary>Counters of one listener. Incremented by its actors, read by the metrics endpoint; all atomic. The per-frame
/// and per-byte counters are striped (<see cref="StripedCounter"/>): every connection of the listener adds to them.</summary>
public sealed class ListenerMetrics
{
    private readonly long[] _closed = new long[Enum.GetValues<DisconnectReason>().Length];
    private readonly long[] _kills = new long[Enum.GetValues<KillMode>().Length];
    private readonly StripedCounter _framesIn = new(), _framesOut = new(), _bytesIn = new(), _bytesOut = new();
    private long _accepted, _open, _handlerRestarts, _slowConsumerCuts, _bindRetries, _listenerKills, _toxicDrops,
        _udpUnverifiedDrops, _udpRateLimitDrops, _udpCookiesSent;

    public ListenerMetrics(string listener) => Listener = listener;

    public string Listener { get; }

    public long Accepted => Interlocked.Read(ref _accepted);
    public long Open => Interlocked.Read(ref _open);
    public long FramesIn => _framesIn.Value;
    public long FramesOut => _framesOut.Value;
    public long BytesIn => _bytesIn.Value;
    public long BytesOut => _bytesOut.Value;
    public long HandlerRestarts => Interlocked.Read(ref _handlerRestarts);
    public long SlowConsumerCuts => Interlocked.Read(ref _slowConsumerCuts);
    public long BindRetries => Interlocked.Read(ref _bindRetries);
    public long ListenerKills => Interlocked.Read(ref _listenerKills);
    public long ToxicDrops => Interlocked.Read(ref _toxicDrops);
    /// <summary>udp-relay: datagrams from senders that have not proven their address (not relayed).</summary>
    public long UdpUnverifiedDrops => Interlocked.Read(ref _udpUnverifiedDrops);
    /// <summary>udp-relay: datagrams of peers over their per-source rate (not relayed).</summary>
    public long UdpRateLimitDrops => Interlocked.Read(ref _udpRateLimitDrops);
    /// <summary>udp-relay: COOKIE challenges sent.</summary>
    public long UdpCookiesSent => Interlocked.Read(ref _udpCookiesSent);

    public long Closed(DisconnectReason reason) => Interlocked.Read(ref _closed[(int)reason]);

    public long Kills(KillMode mode) => Interlocked.Read(ref _kills[(int)mode]);

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _accepted);
        Interlocked.Increment(ref _open);
    }

    internal void ConnectionClosed(DisconnectReason reason)
    {
        Interlocked.Decrement(ref _open);
        Interlocked.Increment(ref _closed[(int)reason]);
    }

    internal void FrameIn(long bytes)
    {
        _framesIn.Increment();
        _bytesIn.Add(bytes);
    }

    internal void FrameOut() => _framesOut.Increment();
    internal void AddFramesOut(int count) => _framesOut.Add(count);
    internal void AddFramesIn(int count) => _framesIn.Add(count);
    internal void AddBytesIn(long bytes) => _bytesIn.Add(bytes);
    internal void AddBytesOut(long bytes) => _bytesOut.Add(bytes);
    internal void FrameInOnly() => _framesIn.Increment();
    internal void HandlerRestarted() => Interlocked.Increment(ref _handlerRestarts);
    internal void SlowConsumerCut() => Interlocked.Increment(ref _slowConsumerCuts);
    internal void BindRetried() => Interlocked.Increment(ref _bindRetries);
    internal void ListenerKilled() => Interlocked.Increment(ref _listenerKills);
    internal void ToxicDropped() => Interlocked.Increment(ref _toxicDrops);
    internal void UdpUnverifiedDropped() => Interlocked.Increment(ref _udpUnverifiedDrops);
    internal void UdpRateLimitDropped() => Interlocked.Increment(ref _udpRateLimitDrops);
    internal void UdpCookieSent() => Interlocked.Increment(ref _udpCookiesSent);
    internal void Killed(KillMode mode) => Interlocked.Increment(ref _kills[(int)mode]);
}

/// <summary>Per-listener counters of the node (see <see cref="PrometheusText"/> for their exposition).</summary>
public sealed class NodeMetrics
{
    private readonly ConcurrentDictionary<string, ListenerMetrics> _listeners = new(StringComparer.Ordinal);

    /// <summary>The counters of <paramref name="listener"/>, created on first use.</summary>
    public ListenerMetrics For(string listener) => _listeners.GetOrAdd(listener, static name => new ListenerMetrics(name));

    public IReadOnlyList<ListenerMetrics> Snapshot() => _listeners.Values.OrderBy(l => l.Listener, StringComparer.Ordinal).ToList();
}
