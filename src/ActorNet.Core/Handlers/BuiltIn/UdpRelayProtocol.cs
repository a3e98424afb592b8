using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ActorNet.Handlers.BuiltIn;

/// <summary>
/// The udp-relay's proof of address, like a TCP SYN cookie: the node answers a new sender with
/// <c>COOKIE &lt;16 hex&gt;</c>, an HMAC of the sender's address and port and the current minute under a secret of
/// this handler; the sender proves it receives at that address by sending the cookie back (<c>COOKIE &lt;hex&gt;</c>),
/// and only then becomes a relay peer (answer <c>WELCOME</c>). A spoofed source never sees the cookie, so it can
/// neither join nor make the relay send to its victim anything but the one short cookie datagram. Stateless until
/// proven: nothing is kept for a sender that did not echo. Pure (no actors), tested on its own.
/// </summary>
public sealed class UdpAddressProof
{
    /// <summary>How long one cookie window lasts; a cookie is accepted in its window and the next one (1-2 minutes).</summary>
    public const long WindowMs = 60_000;

    public static readonly byte[] Welcome = "WELCOME\n"u8.ToArray();
    private static readonly byte[] Prefix = "COOKIE "u8.ToArray();
    private const int CookieHexLength = 16;

    private readonly byte[] _secret;

    public UdpAddressProof(byte[]? secret = null) => _secret = secret ?? RandomNumberGenerator.GetBytes(32);

    /// <summary>The challenge for <paramref name="sender"/> at <paramref name="nowMs"/>: "COOKIE 0123456789abcdef\n".</summary>
    public byte[] Challenge(EndPoint sender, long nowMs) =>
        Encoding.ASCII.GetBytes("COOKIE " + Cookie(sender, nowMs / WindowMs) + "\n");

    /// <summary>True when <paramref name="datagram"/> is "COOKIE &lt;hex&gt;" (case-insensitive, optional CR/LF) with the
    /// cookie of <paramref name="sender"/> for this window or the previous one.</summary>
    public bool Verifies(ReadOnlySpan<byte> datagram, EndPoint sender, long nowMs)
    {
        var text = datagram.TrimEnd("\r\n"u8);
        if (text.Length != Prefix.Length + CookieHexLength) return false;
        if (!Ascii.EqualsIgnoreCase(text[..Prefix.Length], Prefix)) return false;
        Span<char> given = stackalloc char[CookieHexLength];
        for (var i = 0; i < CookieHexLength; i++) given[i] = char.ToLowerInvariant((char)text[Prefix.Length + i]);
        var window = nowMs / WindowMs;
        return Same(given, Cookie(sender, window)) || Same(given, Cookie(sender, window - 1));
    }

    private static bool Same(ReadOnlySpan<char> given, string expected) =>
        CryptographicOperations.FixedTimeEquals(AsciiBytes(given), Encoding.ASCII.GetBytes(expected));

    private static byte[] AsciiBytes(ReadOnlySpan<char> chars)
    {
        var bytes = new byte[chars.Length];
        for (var i = 0; i < chars.Length; i++) bytes[i] = (byte)chars[i];
        return bytes;
    }

    private string Cookie(EndPoint sender, long window)
    {
        var (address, port) = sender switch
        {
            IPEndPoint ip => (ip.Address.GetAddressBytes(), ip.Port),
            _ => (Encoding.UTF8.GetBytes(sender.ToString() ?? ""), 0),
        };
        var input = new byte[address.Length + 4 + 8];
        address.CopyTo(input, 0);
        BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(address.Length), port);
        BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(address.Length + 4), window);
        var mac = HMACSHA256.HashData(_secret, input);
        return Convert.ToHexStringLower(mac.AsSpan(0, CookieHexLength / 2));
    }
}

/// <summary>A token bucket: <paramref name="ratePerSecond"/> tokens a second, holding at most one second's worth (the
/// burst). Pure: the caller passes the time.</summary>
public sealed class TokenBucket(double ratePerSecond, long nowMs)
{
    private readonly double _rate = ratePerSecond;
    private double _tokens = ratePerSecond;
    private long _lastMs = nowMs;

    /// <summary>Takes <paramref name="cost"/> tokens if there are that many (true), else takes none (false).</summary>
    public bool TryTake(double cost, long nowMs)
    {
        if (nowMs > _lastMs)
        {
            _tokens = Math.Min(_rate, _tokens + (nowMs - _lastMs) * _rate / 1000.0);
            _lastMs = nowMs;
        }

        if (_tokens < cost) return false;
        _tokens -= cost;
        return true;
    }
}
