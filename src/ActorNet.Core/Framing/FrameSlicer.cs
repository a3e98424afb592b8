using Akka.IO;

namespace ActorNet.Framing;

/// <summary>
/// Appends the frames a decoder finds in one input with at most one array per input: a frame that lies wholly inside
/// the input is a zero-copy slice of the input's immutable <see cref="ByteString"/> when there is one, or else of ONE
/// fresh copy of the input, taken from the first such frame to the end of the input (so a read with no complete frame
/// copies nothing, and a trailing partial frame costs at most its own bytes). A frame completed from bytes buffered
/// by an earlier call is added ready-made (its own copy). Frames never alias memory that is reused later: a
/// ByteString is immutable, and the copy is never written again. One instance per decoder; not thread-safe.
/// </summary>
internal sealed class FrameSlicer
{
    private List<ByteString>? _frames;
    private ByteString? _source;
    private byte[]? _copy;
    private int _copyStart;

    /// <summary>Starts one input. <paramref name="source"/>: the compact ByteString the input span was taken from
    /// (frames are sliced out of it), or null when the input is a plain span (frames share one copy).</summary>
    public void Begin(List<ByteString> frames, ByteString? source)
    {
        _frames = frames;
        _source = source;
        _copy = null;
        _copyStart = 0;
    }

    /// <summary>A frame at <paramref name="start"/> in <paramref name="input"/> (the whole input given to the
    /// decoder), <paramref name="length"/> bytes long.</summary>
    public void AddRange(ReadOnlySpan<byte> input, int start, int length)
    {
        if (length == 0)
        {
            _frames!.Add(ByteString.Empty);
            return;
        }

        if (_source is not null)
        {
            _frames!.Add(_source.Slice(start, length));
            return;
        }

        if (_copy is null)
        {
            _copy = input[start..].ToArray();
            _copyStart = start;
        }
        _frames!.Add(ByteString.FromBytes(_copy, start - _copyStart, length));
    }

    /// <summary>A frame that does not lie in the input (assembled from buffered bytes).</summary>
    public void AddOwned(ByteString frame) => _frames!.Add(frame);

    /// <summary>Ends the input: drops the references to the caller's list, source and copy.</summary>
    public void End()
    {
        _frames = null;
        _source = null;
        _copy = null;
    }
}
