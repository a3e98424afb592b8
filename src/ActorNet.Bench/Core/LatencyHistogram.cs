namespace ActorNet.Bench.Core;

/// <summary>
/// Log-linear latency histogram in microseconds (at most ~3% relative error, like HdrHistogram with 5 significant bits of
/// sub-bucket precision), fixed size, no allocation per sample. Not thread-safe: one per receiver, merged at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBits = 6;
    private const int SubCount = 1 << SubBits;      // 64 linear sub-buckets per power of two
    private const int Groups = 40;                   // up to 2^45 µs: far beyond any run
    private readonly long[] _counts = new long[SubCount * Groups];

    /// <summary>Samples recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Largest sample (exact).</summary>
    public long Max { get; private set; }

    /// <summary>Smallest sample (exact); 0 when empty.</summary>
    public long Min { get; private set; } = long.MaxValue;

    /// <summary>Adds one sample (negative values count as 0).</summary>
    public void Record(long micros)
    {
        if (micros < 0)
            micros = 0;
        _counts[Index(micros)]++;
        Count++;
        if (micros > Max)
            Max = micros;
        if (micros < Min)
            Min = micros;
    }

    /// <summary>Adds every sample of <paramref name="other"/>.</summary>
    public void Merge(LatencyHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++)
            _counts[i] += other._counts[i];
        Count += other.Count;
        Max = Math.Max(Max, other.Max);
        Min = Math.Min(Min, other.Min);
    }

    /// <summary>
    /// The value at percentile <paramref name="p"/> (0..100): the smallest bucket value such that at least p% of
    /// samples are at or below it (nearest-rank), clamped to the exact maximum; 0 when empty.
    /// </summary>
    public long Percentile(double p)
    {
        if (Count == 0)
            return 0;
        long rank = Math.Max(1, (long)Math.Ceiling(p / 100.0 * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
                return Math.Min(Max, Math.Max(Min == long.MaxValue ? 0 : Min, UpperValue(i)));
        }
        return Max;
    }

    internal static int Index(long value)
    {
        if (value < SubCount)
            return (int)value;
        int group = 63 - (int)long.LeadingZeroCount(value) - SubBits + 1;  // value >> group in [32, 64)
        int sub = (int)(value >> group);
        int index = group * SubCount + sub;
        return Math.Min(index, Groups * SubCount - 1);
    }

    /// <summary>Largest value that maps to bucket <paramref name="index"/>.</summary>
    internal static long UpperValue(int index)
    {
        if (index < SubCount)
            return index;
        int group = index / SubCount;
        long sub = index % SubCount;
        return ((sub + 1) << group) - 1;
    }
}
