using System.Buffers;

namespace ActorNet.Framing;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>, never holding more than a fixed maximum.
/// Rents lazily, grows by doubling, and gives a large array back to the pool when cleared so that an idle
/// connection does not pin a max-size buffer.
/// </summary>
internal sealed class PooledByteBuffer : IDisposable
{
    private const int InitialCapacity = 256;

    /// <summary>Arrays larger than this are returned to the pool on <see cref="Clear"/> instead of being kept.</summary>
    internal const int RetainCapacity = 16 * 1024;

    private readonly int _maxLength;
    private byte[]? _array;
    private int _length;

    public PooledByteBuffer(int maxLength) => _maxLength = maxLength;

    public int Length => _length;

    /// <summary>Size of the rented array (0 when none is held); for tests.</summary>
    internal int Capacity => _array?.Length ?? 0;

    public ReadOnlySpan<byte> Span => _array is null ? default : _array.AsSpan(0, _length);

    /// <summary>Appends <paramref name="data"/>; the caller guarantees Length + data.Length &lt;= the maximum.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return;
        int needed = _length + data.Length;
        if (needed > _maxLength || needed < 0)
            throw new InvalidOperationException($"buffer limit {_maxLength} exceeded ({needed})");
        if (_array is null || _array.Length < needed)
            Grow(needed);
        data.CopyTo(_array.AsSpan(_length));
        _length = needed;
    }

    public void Clear()
    {
        _length = 0;
        if (_array is { Length: > RetainCapacity })
            ReturnArray();
    }

    public void Dispose()
    {
        _length = 0;
        ReturnArray();
    }

    private void Grow(int needed)
    {
        int current = _array?.Length ?? 0;
        long doubled = Math.Max(InitialCapacity, 2L * current);
        int size = (int)Math.Max(needed, Math.Min(doubled, _maxLength));
        byte[] next = ArrayPool<byte>.Shared.Rent(size);
        if (_array is not null)
        {
            _array.AsSpan(0, _length).CopyTo(next);
            ArrayPool<byte>.Shared.Return(_array);
        }
        _array = next;
    }

    private void ReturnArray()
    {
        if (_array is null)
            return;
        ArrayPool<byte>.Shared.Return(_array);
        _array = null;
    }
}
