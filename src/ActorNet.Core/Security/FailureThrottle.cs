namespace ActorNet.Security;

/// <summary>How many failed attempts (wrong token, wrong OPER password) one client may make: a bucket of
/// <paramref name="Failures"/> refilled at that many per <paramref name="Window"/>; at most
/// <paramref name="MaxTracked"/> clients are remembered (the rest share one bucket, so a flood of addresses cannot
/// grow the table or escape the limit).</summary>
public sealed record ThrottleSettings(int Failures, TimeSpan Window, int MaxTracked)
{
    public static ThrottleSettings Default { get; } = new(5, TimeSpan.FromMinutes(1), 1024);
}

/// <summary>
/// Throttles failed authentication attempts per client key (a remote address). Thread-safe (the admin endpoint's
/// requests run in parallel; IRC sessions are separate actors); time comes from a <see cref="TimeProvider"/> so the
/// logic is tested without waiting. A client is refused before its secret is even compared while its bucket is
/// empty, so guessing costs the attacker time and the node no CPU.
/// </summary>
public sealed class FailureThrottle(ThrottleSettings settings, TimeProvider? time = null)
{
    private const string Overflow = "\0overflow";
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens = tokens;
        public long At = at;
    }

    public ThrottleSettings Settings => settings;

    /// <summary>Clients currently remembered (bounded by <see cref="ThrottleSettings.MaxTracked"/>).</summary>
    public int Tracked
    {
        get { lock (_gate) return _buckets.Count; }
    }

    /// <summary>True when <paramref name="key"/> may try now; else how long until it may.</summary>
    public bool MayTry(string key, out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            retryAfter = TimeSpan.Zero;
            if (!_buckets.TryGetValue(key, out var bucket) && !_buckets.TryGetValue(Overflow, out bucket)) return true;
            Refill(bucket);
            if (bucket.Tokens >= 1) return true;
            retryAfter = TimeSpan.FromSeconds(Math.Ceiling((1 - bucket.Tokens) / PerSecond));
            return false;
        }
    }

    /// <summary>Records one failure of <paramref name="key"/>; returns the failures left before it is refused.</summary>
    public int Failed(string key)
    {
        lock (_gate)
        {
            var bucket = BucketFor(key);
            Refill(bucket);
            bucket.Tokens = Math.Max(0, bucket.Tokens - 1);
            return (int)Math.Floor(bucket.Tokens);
        }
    }

    private double PerSecond => settings.Failures / Math.Max(0.001, settings.Window.TotalSeconds);

    private Bucket BucketFor(string key)
    {
        if (_buckets.TryGetValue(key, out var bucket)) return bucket;
        if (_buckets.Count >= settings.MaxTracked) Prune();
        if (_buckets.Count >= settings.MaxTracked)
            key = Overflow;
        if (_buckets.TryGetValue(key, out bucket)) return bucket;
        bucket = new Bucket(settings.Failures, _time.GetTimestamp());
        _buckets[key] = bucket;
        return bucket;
    }

    /// <summary>Forgets clients whose bucket has filled up again: they are indistinguishable from new ones.</summary>
    private void Prune()
    {
        foreach (var (key, bucket) in _buckets.ToList())
        {
            Refill(bucket);
            if (bucket.Tokens >= settings.Failures) _buckets.Remove(key);
        }
    }

    private void Refill(Bucket bucket)
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(bucket.At, now).TotalSeconds;
        bucket.Tokens = Math.Min(settings.Failures, bucket.Tokens + elapsed * PerSecond);
        bucket.At = now;
    }
}
