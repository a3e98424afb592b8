using System.Runtime.Serialization;
using ActorNet.Chat.Cluster;
using Google.Protobuf;
using Xunit;

namespace ActorNet.Chat.Tests.Cluster;

/// <summary>The hand-written protobuf writer and reader under the chat serializer: what they write is what
/// Google.Protobuf reads (so the format is protobuf's), nested messages of every length-prefix size round-trip, and
/// malformed input — truncated varints, lengths past the end, wrong wire types, bad UTF-8 — is refused with
/// <see cref="SerializationException"/> only.</summary>
public sealed class ProtoIoTests
{
    private sealed record Box(string Text);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(126)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(16383)]
    [InlineData(16384)]
    [InlineData(300_000)]
    public void Nested_messages_of_any_length_round_trip_and_are_what_protobuf_reads(int length)
    {
        var text = new string('x', length);
        var bytes = ProtoWriter.Encode(w =>
        {
            w.Int64(1, -5);
            w.Msg(2, new Box(text), (n, b) =>
            {
                n.Str(1, b.Text);
                n.Msg(2, b, (m, _) => m.UInt32(1, 7));
            });
            w.Bool(3, true);
        });

        var r = new ProtoReader(bytes);
        long i = 0;
        string? back = null;
        uint inner = 0;
        var flag = false;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: i = r.Int64(); break;
                case 2:
                    r.Msg(n =>
                    {
                        for (var g = n.Next(); g != 0; g = n.Next())
                            if (g == 1) back = n.Str();
                            else n.Msg(m => { m.Next(); return inner = m.UInt32(); });
                        return 0;
                    });
                    break;
                case 3: flag = r.Bool(); break;
            }

        Assert.Equal((-5L, text, 7u, true), (i, back, inner, flag));

        // the same bytes through Google.Protobuf: tags, varints and length prefixes are protobuf's
        var g = new CodedInputStream(bytes);
        Assert.Equal(WireFormat.MakeTag(1, WireFormat.WireType.Varint), g.ReadTag());
        Assert.Equal(-5L, g.ReadInt64());
        Assert.Equal(WireFormat.MakeTag(2, WireFormat.WireType.LengthDelimited), g.ReadTag());
        var nested = new CodedInputStream(g.ReadBytes().ToByteArray());
        nested.ReadTag();
        Assert.Equal(text, nested.ReadString());
        Assert.Equal(WireFormat.MakeTag(3, WireFormat.WireType.Varint), g.ReadTag());
        Assert.True(g.ReadBool());
        Assert.True(g.IsAtEnd);
    }

    [Fact]
    public void A_bytes_slice_is_the_input_itself_not_a_copy()
    {
        var bytes = ProtoWriter.Encode(w => w.Bytes(1, Akka.IO.ByteString.FromString("hello")));
        var r = new ProtoReader(bytes);
        r.Next();
        var slice = r.BytesSlice();
        Assert.Same(bytes, slice.Array);
        Assert.Equal("hello"u8.ToArray(), slice.ToArray());
    }

    [Fact]
    public void Unknown_fields_of_every_wire_type_are_skipped()
    {
        // field 9 fixed64, field 10 fixed32, field 11 varint, field 12 bytes, then field 1 = "ok"
        byte[] bytes = [0x49, 1, 2, 3, 4, 5, 6, 7, 8, 0x55, 1, 2, 3, 4, 0x58, 0x96, 0x01, 0x62, 2, 9, 9, 0x0a, 2, (byte)'o', (byte)'k'];
        var r = new ProtoReader(bytes);
        string? text = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            if (f == 1) text = r.Str();
            else r.Skip();
        Assert.Equal("ok", text);
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "truncated tag varint", [0x80] },
        { "truncated value varint", [0x08, 0xff, 0xff] },
        { "varint longer than 10 bytes", [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01] },
        { "string length past the end", [0x0a, 0x05, (byte)'a', (byte)'b'] },
        { "huge length", [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f] },
        { "truncated length varint", [0x0a, 0x80] },
        { "nested length past the end", [0x12, 0x03, 0x08] },
        { "nested field past its message", [0x12, 0x02, 0x0a, 0x05, (byte)'a', (byte)'b', (byte)'c', (byte)'d', (byte)'e'] },
        { "string as varint", [0x08, 0x05, (byte)'a'] },
        { "number as string", [0x1a, 0x01, 0x05] },
        { "bad UTF-8", [0x0a, 0x02, 0xc3, 0x28] },
        { "field number 0", [0x00, 0x01] },
        { "group wire type", [0x0b, 0x0c] },
        { "truncated fixed64", [0x49, 1, 2, 3] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_input_is_refused_with_SerializationException(string what, byte[] bytes)
    {
        var ex = Record.Exception(() => ReadAll(new ProtoReader(bytes)));
        Assert.True(ex is SerializationException, $"{what}: {ex?.GetType().Name ?? "no exception"}");
    }

    /// <summary>Reads field 1 as a string, 2 as a nested message of the same shape, other fields by their wire type.</summary>
    private static int ReadAll(ProtoReader r)
    {
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: r.Str(); break;
                case 2: r.Msg(ReadAll); break;
                case 3: r.Int64(); break;
                default: r.Skip(); break;
            }

        return 0;
    }
}
