using Xunit;
using ActorNet.Config;
using System.Text;
using ActorNet.Framing;
using Akka.IO;

namespace ActorNet.Core.Tests.Framing;

/// <summary>Helpers shared by the framing tests.</summary>
internal static class FramingTestUtil
{
    public static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    public static string S(ByteString b) => Encoding.Latin1.GetString(b.ToArray());

    /// <summary>Feeds each chunk in one Decode call; stops at the first non-Ok status.</summary>
    public static (DecodeStatus Status, List<ByteString> Frames) Feed(IFrameDecoder decoder, IEnumerable<byte[]> chunks)
    {
        var frames = new List<ByteString>();
        foreach (var chunk in chunks)
        {
            var status = decoder.Decode(chunk, frames);
            if (status != DecodeStatus.Ok)
                return (status, frames);
        }
        return (DecodeStatus.Ok, frames);
    }

    public static IEnumerable<byte[]> OneByteAtATime(byte[] input) => input.Select(b => new[] { b });

    /// <summary>Splits input at the given cut points (taken modulo input length, sorted, deduplicated).</summary>
    public static IEnumerable<byte[]> SplitAt(byte[] input, IEnumerable<int> cuts)
    {
        if (input.Length == 0)
        {
            yield return input;
            yield break;
        }
        int prev = 0;
        foreach (int cut in cuts.Select(c => (int)((uint)c % (uint)input.Length)).Distinct().Order())
        {
            yield return input[prev..cut];
            prev = cut;
        }
        yield return input[prev..];
    }

    /// <summary>Decodes the input whole and one byte at a time; asserts both give the same status and frames.</summary>
    public static (DecodeStatus Status, List<string> Frames) DecodeBothWays(FramingKind kind, int max, byte[] input)
    {
        using var whole = FrameCodecs.CreateDecoder(kind, max);
        using var bytewise = FrameCodecs.CreateDecoder(kind, max);
        var a = Feed(whole, [input]);
        var b = Feed(bytewise, OneByteAtATime(input));
        Assert.Equal(a.Status, b.Status);
        var fa = a.Frames.Select(S).ToList();
        if (kind != FramingKind.Raw)
            Assert.Equal(fa, b.Frames.Select(S).ToList());
        return (a.Status, fa);
    }

    public static byte[] Encode(IFrameEncoder encoder, byte[] payload)
    {
        var dest = new byte[encoder.FramedLength(payload.Length)];
        int n = encoder.Encode(payload, dest);
        Assert.Equal(dest.Length, n);
        return dest;
    }
}
