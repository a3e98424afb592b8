using Akka.IO;

namespace ActorNet.Faults;

/// <summary>What a <see cref="ToxicLane"/> did with an offered frame.</summary>
public enum LaneVerdict
{
    /// <summary>Pass it on now.</summary>
    Deliver,
    /// <summary>Held back; <see cref="ToxicLane.TakeDue"/> releases it later, in order.</summary>
    Queued,
    /// <summary>Dropped by a drop toxic.</summary>
    Dropped,
    /// <summary>Swallowed by a timeout toxic.</summary>
    Swallowed,
    /// <summary>A reset-after toxic fired: reset the connection.</summary>
    Reset,
}

/// <summary>
/// One direction of one connection with its toxics applied: pure, single-threaded (owned by the connection actor),
/// time passed in as milliseconds so tests need no clock. Frames keep their order whatever the delays: a frame is
/// never released before the one offered ahead of it.
/// </summary>
public sealed class ToxicLane
{
    private readonly Random _random;
    private readonly Queue<(double Due, ByteString Frame)> _queue = new();
    private readonly Dictionary<string, long> _bytesSeen = new(StringComparer.Ordinal);
    private IReadOnlyList<ToxicSpec> _toxics = [];
    private double _lastDue;
    private double _bandwidthCursor;

    public ToxicLane(Random random) => _random = random;

    /// <summary>The toxics acting now.</summary>
    public IReadOnlyList<ToxicSpec> Toxics => _toxics;

    /// <summary>No toxic and nothing held back: frames pass straight through.</summary>
    public bool IsPassThrough => _toxics.Count == 0 && _queue.Count == 0;

    /// <summary>Bytes held back.</summary>
    public long QueuedBytes { get; private set; }

    /// <summary>When the next held-back frame is due (ms), if any.</summary>
    public double? NextDue => _queue.Count > 0 ? _queue.Peek().Due : null;

    /// <summary>A timeout toxic is active: its close delay (zero = never close).</summary>
    public TimeSpan? Timeout => _toxics.FirstOrDefault(t => t.Kind == ToxicKind.Timeout)?.Delay;

    /// <summary>A slow-close toxic is active: how long to delay the close.</summary>
    public TimeSpan SlowClose => _toxics.FirstOrDefault(t => t.Kind == ToxicKind.SlowClose)?.Delay ?? TimeSpan.Zero;

    /// <summary>Replaces the active toxics (those of this lane's direction). Byte counts of reset-after toxics that
    /// stay active are kept.</summary>
    public void Configure(IReadOnlyList<ToxicSpec> toxics)
    {
        _toxics = toxics;
        foreach (var name in _bytesSeen.Keys.ToList())
            if (!toxics.Any(t => t.Name == name)) _bytesSeen.Remove(name);
    }

    /// <summary>Offers one frame at time <paramref name="nowMs"/>.</summary>
    public LaneVerdict Offer(ByteString frame, double nowMs)
    {
        if (IsPassThrough) return LaneVerdict.Deliver;
        var due = nowMs;
        foreach (var toxic in _toxics)
        {
            switch (toxic.Kind)
            {
                case ToxicKind.Timeout:
                    return LaneVerdict.Swallowed;
                case ToxicKind.Drop when _random.NextDouble() < toxic.Probability:
                    return LaneVerdict.Dropped;
                case ToxicKind.ResetAfter:
                    var seen = _bytesSeen[toxic.Name] = _bytesSeen.GetValueOrDefault(toxic.Name) + frame.Count;
                    if (seen > toxic.Bytes) return LaneVerdict.Reset;
                    break;
                case ToxicKind.Latency:
                    var jitter = toxic.Jitter.TotalMilliseconds * (2 * _random.NextDouble() - 1);
                    due += Math.Max(0, toxic.Latency.TotalMilliseconds + jitter);
                    break;
            }
        }

        foreach (var toxic in _toxics)
        {
            if (toxic.Kind != ToxicKind.Bandwidth) continue;
            due = Math.Max(due, _bandwidthCursor);
            _bandwidthCursor = due + frame.Count * 1000.0 / (toxic.RateKiBps * 1024.0);
        }

        due = Math.Max(due, _lastDue); // order: never before the frame ahead
        _lastDue = due;
        if (_queue.Count == 0 && due <= nowMs) return LaneVerdict.Deliver;
        _queue.Enqueue((due, frame));
        QueuedBytes += frame.Count;
        return LaneVerdict.Queued;
    }

    /// <summary>Moves every frame due at <paramref name="nowMs"/> to <paramref name="output"/>, in order.</summary>
    public void TakeDue(double nowMs, List<ByteString> output)
    {
        while (_queue.Count > 0 && _queue.Peek().Due <= nowMs)
        {
            var (_, frame) = _queue.Dequeue();
            QueuedBytes -= frame.Count;
            output.Add(frame);
        }
    }

    /// <summary>Releases everything held back now (the connection is closing).</summary>
    public void TakeAll(List<ByteString> output) => TakeDue(double.MaxValue, output);
}
