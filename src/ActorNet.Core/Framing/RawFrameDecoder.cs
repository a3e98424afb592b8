namespace ActorNet.Framing;

/// <summary>Each input becomes frames as-is, in chunks of at most maxFrameBytes (slices of one copy of the input, or of the
/// input ByteString itself). Buffers nothing, never fails.</summary>
internal sealed class RawFrameDecoder(int maxFrameBytes) : SlicingFrameDecoder
{
    public override int BufferedBytes => 0;

    protected override DecodeStatus Scan(ReadOnlySpan<byte> input)
    {
        for (int pos = 0; pos < input.Length; pos += maxFrameBytes)
            Slicer.AddRange(input, pos, Math.Min(maxFrameBytes, input.Length - pos));
        return DecodeStatus.Ok;
    }
}
