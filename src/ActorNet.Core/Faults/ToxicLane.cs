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
    // Every connection has two lanes, nearly always without toxics: the random source, the queue and the byte counts
    // are created on first use, so a lane without toxics costs one small object (10,000 idle connections).
    private readonly Func<Random> _randomSource;
    private Random? _random;
    private Queue<(double Due, ByteString Frame)>? _queue;
    private Dictionary<string, long>? _bytesSeen;
    private IReadOnlyList<ToxicSpec> _toxics = [];
    private double _lastDue;
    private double _bandwidthCursor;

    public ToxicLane(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
        _randomSource = () => random;
    }

    /// <param name="randomSource">called once, at the first draw (drop, jitter); two lanes of one connection may
    /// share one source so that their draws come from one seeded sequence</param>
    public ToxicLane(Func<Random> randomSource) => _randomSource = randomSource ?? throw new ArgumentNullException(nameof(randomSource));

    private Random Random => _random ??= _randomSource();

    private int QueueCount => _queue?.Count ?? 0;

    /// <summary>The toxics acting now.</summary>
    public IReadOnlyList<ToxicSpec> Toxics => _toxics;

    /// <summary>No toxic and nothing held back: frames pass straight through.</summary>
    public bool IsPassThrough => _toxics.Count == 0 && QueueCount == 0;

    /// <summary>Bytes held back.</summary>
    public long QueuedBytes { get; private set; }

    /// <summary>When the next held-back frame is due (ms), if any.</summary>
    public double? NextDue => QueueCount > 0 ? _queue!.Peek().Due : null;

    /// <summary>A timeout toxic is active: its close delay (zero = never close).</summary>
    public TimeSpan? Timeout => _toxics.FirstOrDefault(t => t.Kind == ToxicKind.Timeout)?.Delay;

    /// <summary>A slow-close toxic is active: how long to delay the close.</summary>
    public TimeSpan SlowClose => _toxics.FirstOrDefault(t => t.Kind == ToxicKind.SlowClose)?.Delay ?? TimeSpan.Zero;

    /// <summary>Replaces the active toxics (those of this lane's direction). Byte counts of reset-after toxics that
    /// stay active are kept.</summary>
    public void Configure(IReadOnlyList<ToxicSpec> toxics)
    {
        _toxics = toxics;
        if (_bytesSeen is null) return;
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
                case ToxicKind.Drop when Random.NextDouble() < toxic.Probability:
                    return LaneVerdict.Dropped;
                case ToxicKind.ResetAfter:
                    _bytesSeen ??= new Dictionary<string, long>(StringComparer.Ordinal);
                    var seen = _bytesSeen[toxic.Name] = _bytesSeen.GetValueOrDefault(toxic.Name) + frame.Count;
                    if (seen > toxic.Bytes) return LaneVerdict.Reset;
                    break;
                case ToxicKind.Latency:
                    var jitter = toxic.Jitter.TotalMilliseconds * (2 * Random.NextDouble() - 1);
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
        if (QueueCount == 0 && due <= nowMs) return LaneVerdict.Deliver;
        (_queue ??= new Queue<(double Due, ByteString Frame)>()).Enqueue((due, frame));
        QueuedBytes += frame.Count;
        return LaneVerdict.Queued;
    }

    /// <summary>Moves every frame due at <paramref name="nowMs"/> to <paramref name="output"/>, in order.</summary>
    public void TakeDue(double nowMs, List<ByteString> output)
    {
        while (QueueCount > 0 && _queue!.Peek().Due <= nowMs)
        {
            var (_, frame) = _queue.Dequeue();
            QueuedBytes -= frame.Count;
            output.Add(frame);
        }
    }

    /// <summary>Releases everything held back now (the connection is closing).</summary>
    public void TakeAll(List<ByteString> output) => TakeDue(double.MaxValue, output);
}
