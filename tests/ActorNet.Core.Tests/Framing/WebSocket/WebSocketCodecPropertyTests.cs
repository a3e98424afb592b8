using ActorNet.Framing;
using FsCheck.Xunit;
using Xunit;
using static ActorNet.Core.Tests.Framing.WebSocket.WebSocketTestUtil;

namespace ActorNet.Core.Tests.Framing.WebSocket;

/// <summary>Random bytes never throw, and the actions do not depend on how the input is split. Fixed seed.</summary>
[Properties(MaxTest = 300, Replay = "20261124,1645")]
public class WebSocketCodecPropertyTests
{
    private static string Describe(WebSocketAction a) => a switch
    {
        WebSocketAction.HandshakeResponse h => $"hs {h.Accepted} {Convert.ToHexString(h.Bytes.ToArray())}",
        WebSocketAction.Frame f => $"frame {f.IsText} {Convert.ToHexString(f.Payload.ToArray())}",
        WebSocketAction.Write w => $"write {Convert.ToHexString(w.Bytes.ToArray())}",
        WebSocketAction.Close c => $"close {c.Code} {Convert.ToHexString(c.Bytes.ToArray())}",
        _ => a.ToString(),
    };

    /// <summary>Random bytes biased towards frame-shaped input: headers with the mask bit and small lengths.</summary>
    private static byte[] Shape(byte[] raw, bool shaped)
    {
        if (!shaped) return raw;
        var output = new List<byte>();
        for (int i = 0; i + 1 < raw.Length; i += 6)
        {
            output.Add((byte)((raw[i] & 0x8F) | (raw[i] % 7 == 0 ? 0x40 : 0)));
            output.Add((byte)(0x80 | (raw[i + 1] % 130)));
            output.AddRange(raw.Skip(i + 2).Take(4));
        }

        return output.ToArray();
    }

    [Property]
    public void Random_bytes_after_the_handshake_never_throw_and_splitting_changes_nothing(byte[] raw, int[] cuts, bool shaped)
    {
        var input = Shape(raw, shaped);
        using var whole = Open(max: 64);
        using var split = Open(max: 64);
        var a = Feed(whole, input).Select(Describe).ToList();
        var b = new List<WebSocketAction>();
        foreach (var chunk in Split(input, cuts))
        {
            split.Feed(chunk, b);
            Assert.InRange(split.BufferedBytes, 0, 64 + 14 + 125);
        }

        Assert.Equal(a, b.Select(Describe).ToList());
        if (a.Count > 0 && a[^1].StartsWith("close", StringComparison.Ordinal)) Assert.True(whole.IsClosed);
    }

    [Property]
    public void Random_bytes_as_a_handshake_never_throw(byte[] raw, bool withHead)
    {
        var input = withHead ? Concat("GET / HTTP/1.1\r\n"u8.ToArray(), raw, "\r\n\r\n"u8.ToArray()) : raw;
        using var codec = new WebSocketCodec(new WebSocketOptions(64, MaxHandshakeBytes: 512));
        var actions = Feed(codec, input);
        Assert.All(actions, a => Assert.True(a is WebSocketAction.HandshakeResponse or WebSocketAction.Close or WebSocketAction.Frame or WebSocketAction.Write));
        Assert.InRange(codec.BufferedBytes, 0, 512 + 64 + 14 + 125);
    }

    private static IEnumerable<byte[]> Split(byte[] input, int[] cuts)
    {
        var points = cuts.Select(c => (int)((uint)c % (uint)(input.Length + 1))).Append(0).Append(input.Length).Distinct().Order().ToArray();
        for (int i = 0; i + 1 < points.Length; i++)
            yield return input[points[i]..points[i + 1]];
    }
}
