using System.Runtime.Serialization;
using Akka.Actor;
using Google.Protobuf;

namespace ActorNet.Chat.Cluster;

/// <summary>
/// Writes protobuf fields with Google.Protobuf's <see cref="CodedOutputStream"/> (hand-written, no protoc): a null
/// string, address or message is simply absent, so "absent" and "empty" stay different. Nested messages are
/// length-delimited fields, as protoc would write them, so the schema in ChatProtocolSerializer can evolve the
/// protobuf way (new field numbers are skipped by old readers).
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _out;

    public ProtoWriter() => _out = new CodedOutputStream(_buffer, leaveOpen: true);

    public static byte[] Encode(Action<ProtoWriter> write)
    {
        var w = new ProtoWriter();
        write(w);
        return w.ToArray();
    }

    public byte[] ToArray()
    {
        _out.Flush();
        return _buffer.ToArray();
    }

    public void Str(int field, string? value)
    {
        if (value is null) return;
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteString(value);
    }

    public void Bool(int field, bool value)
    {
        if (!value) return;
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteBool(true);
    }

    public void Int64(int field, long value)
    {
        if (value == 0) return;
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteInt64(value);
    }

    public void UInt32(int field, uint value)
    {
        if (value == 0) return;
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteUInt32(value);
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteBytes(ByteString.CopyFrom(value));
    }

    public void Address(int field, Address? value) => Str(field, value?.ToString());

    /// <summary>A nested message (written even when empty: its presence is the information, e.g. a oneof case).</summary>
    public void Msg<T>(int field, T? value, Action<ProtoWriter, T> write) where T : class
    {
        if (value is null) return;
        var nested = Encode(w => write(w, value));
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteBytes(UnsafeByteOperations.UnsafeWrap(nested));
    }

    public void Each<T>(int field, IEnumerable<T> values, Action<ProtoWriter, T> write) where T : class
    {
        foreach (var v in values) Msg(field, v, write);
    }
}

/// <summary>Reads what <see cref="ProtoWriter"/> wrote: <see cref="Next"/> yields field numbers; unknown fields are
/// skipped (a newer sender's additions), malformed input throws <see cref="SerializationException"/>.</summary>
internal sealed class ProtoReader
{
    private readonly CodedInputStream _in;

    public ProtoReader(byte[] bytes) => _in = new CodedInputStream(bytes);

    /// <summary>The next field number, 0 at the end.</summary>
    public int Next()
    {
        try
        {
            return WireFormat.GetTagFieldNumber(_in.ReadTag());
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new SerializationException("malformed chat protocol message: " + e.Message, e);
        }
    }

    public string Str() => Guard(_in.ReadString);

    public bool Bool() => Guard(_in.ReadBool);

    public long Int64() => Guard(_in.ReadInt64);

    public uint UInt32() => Guard(_in.ReadUInt32);

    public byte[] Bytes() => Guard(() => _in.ReadBytes().ToByteArray());

    public Address Address()
    {
        var text = Str();
        try
        {
            return Akka.Actor.Address.Parse(text);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            throw new SerializationException($"malformed node address '{text}'", e);
        }
    }

    public T Msg<T>(Func<ProtoReader, T> read) => read(new ProtoReader(Bytes()));

    public void Skip() => Guard(() =>
    {
        _in.SkipLastField();
        return 0;
    });

    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new SerializationException("malformed chat protocol message: " + e.Message, e);
        }
    }

    public static T Required<T>(T? value, string what) where T : class =>
        value ?? throw new SerializationException("chat protocol message without " + what);
}
