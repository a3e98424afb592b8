using Akka.IO;

namespace ActorNet.Framing;

/// <summary>
/// Collects the frames a decoder finds in one input and materializes them with at most one array per input:
/// frames that lie wholly inside the input are recorded as ranges, then either sliced (zero-copy) out of the
/// input's immutable <see cref="ByteString"/>, or, for span input, out of ONE fresh copy of the part of the input
/// that holds them. A frame completed from bytes buffered by an earlier call is added ready-made (its own copy).
/// Frames never alias memory that is reused later: a ByteString is immutable, and the copy is never reused.
/// One instance per decoder; not thread-safe.
/// </summary>
internal sealed class FrameSlicer
{
    private readonly List<Entry> _entries = new();
    private ByteString? _source;
    private int _minStart = int.MaxValue;
    private int _maxEnd;

    /// <summary>Starts collecting. <paramref name="source"/>: the compact ByteString the input span was taken from
    /// (frames are sliced out of it), or null when the input is a plain span (frames share one copy).</summary>
    public void Begin(ByteString? source)
    {
        _entries.Clear();
        _source = source;
        _minStart = int.MaxValue;
        _maxEnd = 0;
    }

    /// <summary>A frame at <paramref name="start"/> (offset in the input) of <paramref name="length"/> bytes.</summary>
    public void AddRange(int start, int length)
    {
        if (length == 0)
        {
            _entries.Add(new Entry(ByteString.Empty, 0, 0));
            return;
        }
        _entries.Add(new Entry(null, start, length));
        _minStart = Math.Min(_minStart, start);
        _maxEnd = Math.Max(_maxEnd, start + length);
    }

    /// <summary>A frame that does not lie in the input (assembled from buffered bytes).</summary>
    public void AddOwned(ByteString frame) => _entries.Add(new Entry(frame, 0, 0));

    /// <summary>Appends every collected frame, in order, to <paramref name="frames"/>; <paramref name="input"/> must
    /// be the span the ranges refer to.</summary>
    public void Complete(ReadOnlySpan<byte> input, List<ByteString> frames)
    {
        if (_entries.Count == 0)
        {
            _source = null;
            return;
        }

        byte[]? copy = null;
        if (_source is null && _maxEnd > 0)
            copy = input[_minStart.._maxEnd].ToArray();
        foreach (var e in _entries)
        {
            if (e.Owned is not null)
                frames.Add(e.Owned);
            else if (_source is not null)
                frames.Add(_source.Slice(e.Start, e.Length));
            else
                frames.Add(ByteString.FromBytes(copy!, e.Start - _minStart, e.Length));
        }
        _entries.Clear();
        _source = null;
    }

    private readonly record struct Entry(ByteString? Owned, int Start, int Length);
}
