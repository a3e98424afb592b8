namespace ActorNet.Runtime;

/// <summary>
/// A counter many threads add to at once (e.g. frames out of every connection of a listener): each processor adds to
/// its own cache line, and a read sums them. A single shared <see cref="Interlocked.Add(ref long, long)"/> would make
/// every core fight for one cache line on the hot path of every frame.
/// </summary>
public sealed class StripedCounter
{
    private const int Spacing = 8; // longs per stripe: 64 bytes, one cache line
    private readonly long[] _cells;
    private readonly int _mask;

    public StripedCounter()
    {
        var stripes = (int)Math.Min(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));
        _mask = stripes - 1;
        _cells = new long[(stripes + 1) * Spacing]; // +1: the first stripe starts one line in, away from the array header
    }

    public void Add(long value) => Interlocked.Add(ref _cells[((Thread.GetCurrentProcessorId() & _mask) + 1) * Spacing], value);

    public void Increment() => Add(1);

    /// <summary>The sum of all stripes (a snapshot: adds in progress may or may not be included).</summary>
    public long Value
    {
        get
        {
            long sum = 0;
            for (var i = Spacing; i < _cells.Length; i += Spacing) sum += Volatile.Read(ref _cells[i]);
            return sum;
        }
    }
}
