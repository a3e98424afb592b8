using ActorNet.Faults;
using ActorNet.Runtime;

namespace ActorNet.Transport;

/// <summary>
/// The counters of one connection in one place: each call updates the connection's own <see cref="ConnectionStats"/>
/// (admin endpoint) and its listener's <see cref="ListenerMetrics"/> (Prometheus) together, so that no path can bump
/// one and forget the other. Owned by the connection actor (single writer), like the stats it wraps.
/// </summary>
public sealed class ConnectionCounters
{
    public ConnectionCounters(ConnectionStats stats, ListenerMetrics metrics)
    {
        Stats = stats;
        Metrics = metrics;
    }

    public ConnectionStats Stats { get; }

    public ListenerMetrics Metrics { get; }

    public void Opened() => Metrics.ConnectionOpened();

    public void Closed(DisconnectReason reason) => Metrics.ConnectionClosed(reason);

    public void BytesIn(int bytes)
    {
        Stats.AddBytesIn(bytes);
        Metrics.AddBytesIn(bytes);
    }

    public void FramesIn(int frames)
    {
        if (frames == 0) return;
        Stats.AddFramesIn(frames);
        Metrics.AddFramesIn(frames);
    }

    public void BytesOut(int bytes)
    {
        Stats.AddBytesOut(bytes);
        Metrics.AddBytesOut(bytes);
    }

    public void FramesOut(int frames)
    {
        if (frames == 0) return;
        Stats.AddFramesOut(frames);
        Metrics.AddFramesOut(frames);
    }

    /// <summary>Bytes waiting to be written (outbound queue plus what toxics hold back).</summary>
    public void Queued(long bytes) => Stats.SetQueued(bytes);

    public void HandlerRestarted()
    {
        Stats.HandlerRestarted();
        Metrics.HandlerRestarted();
    }

    public void SlowConsumerCut() => Metrics.SlowConsumerCut();

    public void ToxicDropped() => Metrics.ToxicDropped();

    public void Killed(KillMode mode) => Metrics.Killed(mode);
}
