using System.Buffers.Text;

namespace ActorNet.Bench.Core;

/// <summary>
/// The bench message body: <c>sender.sequence.timestamp.</c> in lowercase hex, padded with <c>x</c> to the requested
/// size. Pure ASCII without spaces, CR or LF, so it survives IRC trailing parameters, NATS payloads and UDP.
/// </summary>
public static class Payload
{
    /// <summary>Shortest body that can carry the header (3 fields of up to 16 hex digits plus separators).</summary>
    public const int MaxHeaderBytes = 16 * 3 + 3;

    /// <summary>Bytes written for a body of requested <paramref name="size"/> (at least the header).</summary>
    public static int Length(int size, int sender, long sequence, long timestamp) =>
        Math.Max(size, HeaderLength(sender, sequence, timestamp));

    /// <summary>Writes the body into <paramref name="destination"/>; returns the number of bytes written.</summary>
    public static int Write(Span<byte> destination, int size, int sender, long sequence, long timestamp)
    {
        int pos = 0;
        pos += WriteHex(destination[pos..], (ulong)sender);
        destination[pos++] = (byte)'.';
        pos += WriteHex(destination[pos..], (ulong)sequence);
        destination[pos++] = (byte)'.';
        pos += WriteHex(destination[pos..], (ulong)timestamp);
        destination[pos++] = (byte)'.';
        if (pos < size)
        {
            destination[pos..size].Fill((byte)'x');
            pos = size;
        }
        return pos;
    }

    /// <summary>Reads the header of a body written by <see cref="Write"/>; false when it is not one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out int sender, out long sequence, out long timestamp)
    {
        sender = 0;
        sequence = 0;
        timestamp = 0;
        if (!TryField(ref body, out ulong s) || !TryField(ref body, out ulong q) || !TryField(ref body, out ulong t))
            return false;
        if (s > int.MaxValue || q > long.MaxValue || t > long.MaxValue)
            return false;
        sender = (int)s;
        sequence = (long)q;
        timestamp = (long)t;
        return true;
    }

    private static int HeaderLength(int sender, long sequence, long timestamp) =>
        HexDigits((ulong)sender) + HexDigits((ulong)sequence) + HexDigits((ulong)timestamp) + 3;

    private static bool TryField(ref ReadOnlySpan<byte> body, out ulong value)
    {
        value = 0;
        int dot = body.IndexOf((byte)'.');
        if (dot <= 0 || dot > 16)
            return false;
        if (!Utf8Parser.TryParse(body[..dot], out value, out int consumed, 'x') || consumed != dot)
            return false;
        body = body[(dot + 1)..];
        return true;
    }

    private static int HexDigits(ulong value)
    {
        int n = 1;
        while ((value >>= 4) != 0)
            n++;
        return n;
    }

    private static int WriteHex(Span<byte> destination, ulong value)
    {
        int n = HexDigits(value);
        for (int i = n - 1; i >= 0; i--)
        {
            int d = (int)(value & 0xF);
            destination[i] = (byte)(d < 10 ? '0' + d : 'a' + d - 10);
            value >>= 4;
        }
        return n;
    }
}
