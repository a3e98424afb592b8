using Akka.IO;

namespace ActorNet.Framing;

/// <summary>
/// Frames that many connections send alike (a fan-out batch: one channel's messages of one mailbox turn). Immutable;
/// shared by every recipient's connection (each may skip some of them: its own messages).
/// </summary>
/// <remarks>
/// The frames are framed ONCE per encoder, back to back in one array (<see cref="EncodedWith"/>, cached), so a
/// recipient copies the runs between the frames it skips with a few block copies instead of framing every frame
/// again: at C = 200 a batch reaches 200 connections, and the per-frame work was the larger part of a delivery's CPU
/// (docs/BENCHMARKS.md). Safe to read from any thread: the cached encoding is published atomically and never changes.
/// </remarks>
public sealed class FrameBatch
{
    private readonly ByteString[] _payloads;
    private Encoded? _encoded;

    /// <param name="payloads">the frames' payloads (without framing), in order; the batch keeps (does not copy) the array</param>
    public FrameBatch(ByteString[] payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        _payloads = payloads;
    }

    /// <summary>Number of frames.</summary>
    public int Count => _payloads.Length;

    /// <summary>Payload of frame <paramref name="index"/> (without framing).</summary>
    public ByteString Payload(int index) => _payloads[index];

    /// <summary>The payloads in order, without those at the (ascending) indices in <paramref name="skip"/>.</summary>
    public IEnumerable<ByteString> PayloadsExcept(int[]? skip)
    {
        var next = 0;
        for (var i = 0; i < _payloads.Length; i++)
        {
            if (skip is not null && next < skip.Length && skip[next] == i)
            {
                next++;
                continue;
            }

            yield return _payloads[i];
        }
    }

    /// <summary>All frames framed with <paramref name="encoder"/>, back to back; computed once per encoder (the last
    /// one asked is cached: a batch's recipients normally share one framing).</summary>
    public Encoded EncodedWith(IFrameEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var cached = Volatile.Read(ref _encoded);
        if (cached is not null && ReferenceEquals(cached.Encoder, encoder)) return cached;
        var fresh = Encode(encoder);
        Interlocked.CompareExchange(ref _encoded, fresh, cached);
        return fresh;
    }

    private Encoded Encode(IFrameEncoder encoder)
    {
        var ends = new int[_payloads.Length];
        long total = 0;
        for (var i = 0; i < _payloads.Length; i++)
        {
            total += encoder.FramedLength(_payloads[i].Count);
            if (total > Array.MaxLength) throw new InvalidOperationException($"a frame batch of {total}+ bytes is too large");
            ends[i] = (int)total;
        }

        var data = GC.AllocateUninitializedArray<byte>((int)total);
        var pos = 0;
        foreach (var payload in _payloads)
            pos += encoder.Encode(payload.ToReadOnlySpan(), data.AsSpan(pos));
        return new Encoded(encoder, data, ends);
    }

    /// <summary>Every frame of a batch framed by one encoder: frame i is <c>Data[Start(i)..Ends[i]]</c>.</summary>
    public sealed class Encoded
    {
        internal Encoded(IFrameEncoder encoder, byte[] data, int[] ends)
        {
            Encoder = encoder;
            Data = data;
            _ends = ends;
        }

        private readonly int[] _ends;

        /// <summary>The framing these bytes carry.</summary>
        public IFrameEncoder Encoder { get; }

        /// <summary>The framed frames, back to back.</summary>
        public byte[] Data { get; }

        /// <summary>End offset (exclusive) of each frame in <see cref="Data"/>.</summary>
        public ReadOnlySpan<int> Ends => _ends;

        /// <summary>Start offset of frame <paramref name="index"/> in <see cref="Data"/>.</summary>
        public int Start(int index) => index == 0 ? 0 : _ends[index - 1];
    }
}
