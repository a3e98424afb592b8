namespace ActorNet.Chat.Session;

/// <summary>
/// A token bucket for flood control: <see cref="Capacity"/> tokens at most, refilled at <see cref="PerSecond"/>.
/// Time comes from the caller (a <see cref="TimeProvider"/> timestamp), so tests drive it exactly. Not thread-safe.
/// </summary>
public sealed class TokenBucket
{
    private double _tokens;
    private long _last;

    public TokenBucket(int capacity, double perSecond, long now)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
        if (perSecond <= 0) throw new ArgumentOutOfRangeException(nameof(perSecond));
        Capacity = capacity;
        PerSecond = perSecond;
        _tokens = capacity;
        _last = now;
    }

    public int Capacity { get; }

    public double PerSecond { get; }

    /// <summary>Takes one token if there is one at <paramref name="now"/> (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public bool TryTake(long now, TimeProvider time)
    {
        Refill(now, time);
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }

    /// <summary>How long until the next token.</summary>
    public TimeSpan UntilNext(long now, TimeProvider time)
    {
        Refill(now, time);
        return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / PerSecond);
    }

    private void Refill(long now, TimeProvider time)
    {
        var elapsed = time.GetElapsedTime(_last, now);
        if (elapsed <= TimeSpan.Zero) return;
        _tokens = Math.Min(Capacity, _tokens + elapsed.TotalSeconds * PerSecond);
        _last = now;
    }
}
