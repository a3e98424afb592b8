using Akka.IO;

namespace ActorNet.Framing;

/// <summary>Outcome of one <see cref="IFrameDecoder.Decode(ReadOnlySpan{byte}, List{ByteString})"/> call.</summary>
public enum DecodeStatus
{
    /// <summary>All input consumed; complete frames were appended, any partial frame is buffered.</summary>
    Ok,

    /// <summary>A frame is (or is certain to become) longer than the decoder's maximum frame size.</summary>
    FrameTooLong,

    /// <summary>A length prefix is not a valid length (top bit set).</summary>
    InvalidLength,
}

/// <summary>
/// Splits a byte stream into frames. One instance per connection (it buffers partial frames); not thread-safe.
/// Never throws on any input bytes: bad input is reported by a non-<see cref="DecodeStatus.Ok"/> status.
/// </summary>
public interface IFrameDecoder : IDisposable
{
    /// <summary>
    /// Consumes <paramref name="input"/>; appends every complete frame's payload (framing bytes removed) to
    /// <paramref name="frames"/>, independent of <paramref name="input"/>'s memory (the caller may reuse it): the
    /// built-in decoders copy the input's complete frames once per call and hand out slices of that one copy.
    /// Returns a non-Ok status as soon as the input is known bad; frames completed before the bad point are still
    /// appended. After a non-Ok status the decoder must not be used again (it keeps returning that status).
    /// </summary>
    DecodeStatus Decode(ReadOnlySpan<byte> input, List<ByteString> frames);

    /// <summary>
    /// Same contract as <see cref="Decode(ReadOnlySpan{byte}, List{ByteString})"/> for input that already is an
    /// immutable <see cref="ByteString"/> (e.g. <c>Tcp.Received.Data</c>): the built-in decoders return frames that lie
    /// wholly inside it as zero-copy slices of it (no allocation per frame beyond the ByteString itself), and those
    /// frames keep the input's array alive while they are referenced. The default copies like the span overload.
    /// </summary>
    DecodeStatus Decode(ByteString input, List<ByteString> frames) => Decode(input.ToReadOnlySpan(), frames);

    /// <summary>Bytes held waiting for the rest of a frame (including a partial length prefix).</summary>
    int BufferedBytes { get; }
}

/// <summary>Adds framing to one payload. Implementations are stateless and may be shared by any number of connections.</summary>
public interface IFrameEncoder
{
    /// <summary>Number of bytes <see cref="Encode"/> writes for a payload of <paramref name="payloadLength"/> bytes.</summary>
    int FramedLength(int payloadLength);

    /// <summary>
    /// Writes framing + payload into <paramref name="destination"/> and returns the number of bytes written
    /// (always <see cref="FramedLength"/> of the payload's length). Throws <see cref="ArgumentException"/> if
    /// <paramref name="destination"/> is too small.
    /// </summary>
    int Encode(ReadOnlySpan<byte> payload, Span<byte> destination);
}
