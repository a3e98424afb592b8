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
    /// <summary>Encodings kept per batch: a channel's members may use a few framings (IRC over TCP and over WebSocket).</summary>
    private const int CachedEncodings = 4;

    private readonly ByteString[] _payloads;
    private readonly Encoded?[] _encodings = new Encoded?[CachedEncodings];

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

    /// <summary>The frame indices in order, without those in <paramref name="skip"/> (ascending; an index out of
    /// range or not above the one before it is ignored, as <c>Connection.SendBatch</c> does).</summary>
    public IEnumerable<int> IndicesExcept(int[]? skip)
    {
        var next = 0;
        for (var i = 0; i < _payloads.Length; i++)
        {
            while (skip is not null && next < skip.Length && skip[next] < i) next++;
            if (skip is not null && next < skip.Length && skip[next] == i)
            {
                next++;
                continue;
            }

            yield return i;
        }
    }

    /// <summary>The payloads in order, without those at the indices in <paramref name="skip"/> (see <see cref="IndicesExcept"/>).</summary>
    public IEnumerable<ByteString> PayloadsExcept(int[]? skip) => IndicesExcept(skip).Select(i => _payloads[i]);

    /// <summary>All frames framed with <paramref name="encoder"/>, back to back; computed once per encoder (up to
    /// four encoders are kept, more are computed each time they are asked for).</summary>
    public Encoded EncodedWith(IFrameEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Encoded? fresh = null;
        for (var i = 0; i < _encodings.Length; i++)
        {
            var slot = Volatile.Read(ref _encodings[i]);
            if (slot is null)
            {
                // a free slot: publish this encoding there, unless another thread just took it (then it is its
                // encoding that counts: the same encoder's, or another's and we go on to the next slot)
                fresh ??= Encode(encoder);
                slot = Interlocked.CompareExchange(ref _encodings[i], fresh, null) ?? fresh;
            }

            if (ReferenceEquals(slot.Encoder, encoder)) return slot;
        }

        return fresh ?? Encode(encoder);
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

        /// <summary>
        /// The bytes of every frame but those at the indices in <paramref name="skip"/> (ascending; an index out of
        /// range or not above the one before it is ignored), as the fewest contiguous ranges of <see cref="Data"/>:
        /// added to <paramref name="runs"/> (empty ranges left out). Returns how many frames they hold.
        /// </summary>
        public int Runs(int[]? skip, List<ArraySegment<byte>> runs)
        {
            int frames = _ends.Length, runStart = 0;
            foreach (var skipped in skip ?? [])
            {
                if ((uint)skipped >= (uint)_ends.Length || skipped < runStart) continue;
                frames--;
                AddRun(runStart, skipped);
                runStart = skipped + 1;
            }

            AddRun(runStart, _ends.Length);
            return frames;

            void AddRun(int from, int to)
            {
                if (to <= from) return;
                var start = Start(from);
                if (_ends[to - 1] > start) runs.Add(new ArraySegment<byte>(Data, start, _ends[to - 1] - start));
            }
        }
    }
}
