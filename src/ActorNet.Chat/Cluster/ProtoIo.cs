using System.Buffers;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;

namespace ActorNet.Chat.Cluster;

/// <summary>
/// Writes protobuf fields (the wire format of https://protobuf.dev/programming-guides/encoding/, by hand, no protoc)
/// into one growing buffer rented from <see cref="ArrayPool{T}"/>: a null string, address or message is simply
/// absent, so "absent" and "empty" stay different. Nested messages are length-delimited fields, as protoc would write
/// them, so the schema in ChatProtocolSerializer can evolve the protobuf way (new field numbers are skipped by old
/// readers). A nested message is written in place after a one-byte length slot that is widened (the content moved
/// right) only when it is 128 bytes or longer: no buffer per field or per nested message, one copy at the end
/// (Akka wants a <c>byte[]</c>). Cross-node fan-out writes one of these per batch, so this is the sender's hot path.
/// </summary>
internal sealed class ProtoWriter : IDisposable
{
    private byte[] _buffer;
    private int _pos;

    public ProtoWriter(int capacity = 256) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public static byte[] Encode(Action<ProtoWriter> write)
    {
        using var w = new ProtoWriter();
        write(w);
        return w.ToArray();
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _pos;

    public byte[] ToArray() => _buffer.AsSpan(0, _pos).ToArray();

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        _pos = 0;
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }

    public void Str(int field, string? value)
    {
        if (value is null) return;
        Tag(field, WireType.LengthDelimited);
        var count = Encoding.UTF8.GetByteCount(value);
        Varint((uint)count);
        Ensure(count);
        _pos += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_pos));
    }

    public void Bool(int field, bool value)
    {
        if (!value) return;
        Tag(field, WireType.Varint);
        Byte(1);
    }

    public void Int64(int field, long value)
    {
        if (value == 0) return;
        Tag(field, WireType.Varint);
        Varint((ulong)value); // int64, not zigzag: what protoc's int64 writes (10 bytes when negative)
    }

    public void UInt32(int field, uint value)
    {
        if (value == 0) return;
        Tag(field, WireType.Varint);
        Varint(value);
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireType.LengthDelimited);
        Varint((uint)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_pos));
        _pos += value.Length;
    }

    /// <summary>An Akka <see cref="Akka.IO.ByteString"/> (one or more segments) as one bytes field, copied once, straight
    /// into the buffer.</summary>
    public void Bytes(int field, Akka.IO.ByteString value)
    {
        Tag(field, WireType.LengthDelimited);
        Varint((uint)value.Count);
        Ensure(value.Count);
        var target = _buffer.AsSpan(_pos, value.Count);
        value.CopyTo(ref target);
        _pos += value.Count;
    }

    public void Address(int field, Address? value) => Str(field, value?.ToString());

    /// <summary>A nested message (written even when empty: its presence is the information, e.g. a oneof case).</summary>
    public void Msg<T>(int field, T? value, Action<ProtoWriter, T> write) where T : class
    {
        if (value is null) return;
        Tag(field, WireType.LengthDelimited);
        Ensure(1);
        var slot = _pos++;
        write(this, value);
        var length = _pos - slot - 1;
        if (length < 0x80)
        {
            _buffer[slot] = (byte)length;
            return;
        }

        // a longer message: widen its length slot (rare for a channel line, common for snapshots)
        var extra = VarintSize((uint)length) - 1;
        Ensure(extra);
        _buffer.AsSpan(slot + 1, length).CopyTo(_buffer.AsSpan(slot + 1 + extra));
        var end = _pos + extra;
        _pos = slot;
        Varint((uint)length);
        _pos = end;
    }

    public void Each<T>(int field, IEnumerable<T> values, Action<ProtoWriter, T> write) where T : class
    {
        foreach (var v in values) Msg(field, v, write);
    }

    private void Tag(int field, WireType type) => Varint(((uint)field << 3) | (uint)type);

    private void Byte(byte b)
    {
        Ensure(1);
        _buffer[_pos++] = b;
    }

    private void Varint(ulong value)
    {
        Ensure(10);
        var buffer = _buffer;
        var pos = _pos;
        while (value >= 0x80)
        {
            buffer[pos++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[pos++] = (byte)value;
        _pos = pos;
    }

    private static int VarintSize(uint value) => value switch
    {
        < 1u << 7 => 1,
        < 1u << 14 => 2,
        < 1u << 21 => 3,
        < 1u << 28 => 4,
        _ => 5,
    };

    private void Ensure(int more)
    {
        if (_buffer.Length - _pos >= more) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _pos + more));
        _buffer.AsSpan(0, _pos).CopyTo(bigger);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}

/// <summary>The protobuf wire types this schema uses (and the two it only skips).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>
/// Reads what <see cref="ProtoWriter"/> wrote, over one array: <see cref="Next"/> yields field numbers (0 at the end
/// of the current message); unknown fields are skipped (a newer sender's additions). A nested message is read by
/// narrowing this same reader to its range (like a protobuf "limit"), not by copying it; <see cref="BytesSlice"/>
/// hands out a slice of the input without copying (the input array is the remote message's own, never reused).
/// Anything malformed — a varint that runs off the end or past 64 bits, a length past the end of its message, bad
/// UTF-8, a wire type the schema never uses — throws <see cref="SerializationException"/>, and nothing else.
/// </summary>
internal sealed class ProtoReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _bytes;
    private int _pos;
    private int _end;
    private WireType _lastType;

    public ProtoReader(byte[] bytes) : this(bytes, 0, bytes.Length)
    {
    }

    public ProtoReader(byte[] bytes, int offset, int count)
    {
        if ((uint)offset > (uint)bytes.Length || (uint)count > (uint)(bytes.Length - offset))
            throw new ArgumentOutOfRangeException(nameof(count));
        _bytes = bytes;
        _pos = offset;
        _end = offset + count;
    }

    /// <summary>The next field number, 0 at the end of the current message.</summary>
    public int Next()
    {
        if (_pos >= _end) return 0;
        var tag = Varint();
        var field = tag >> 3;
        _lastType = (WireType)(tag & 7);
        if (field is 0 or > int.MaxValue >> 3) throw Malformed($"field number {field}");
        return (int)field;
    }

    public string Str()
    {
        var (offset, count) = Range();
        try
        {
            return StrictUtf8.GetString(_bytes, offset, count);
        }
        catch (ArgumentException e)
        {
            throw new SerializationException("malformed chat protocol message: a string is not UTF-8", e);
        }
    }

    public bool Bool() => Expect(WireType.Varint).Varint() != 0;

    public long Int64() => (long)Expect(WireType.Varint).Varint();

    public uint UInt32() => (uint)Expect(WireType.Varint).Varint();

    /// <summary>A bytes field, copied (for values that outlive the input).</summary>
    public byte[] Bytes()
    {
        var (offset, count) = Range();
        return _bytes.AsSpan(offset, count).ToArray();
    }

    /// <summary>A bytes field as a slice of the input (no copy).</summary>
    public ArraySegment<byte> BytesSlice()
    {
        var (offset, count) = Range();
        return new ArraySegment<byte>(_bytes, offset, count);
    }

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

    /// <summary>A nested message: <paramref name="read"/> gets this reader narrowed to the message's bytes (its
    /// <see cref="Next"/> ends there), and reading goes on after it whatever <paramref name="read"/> left unread.</summary>
    public T Msg<T>(Func<ProtoReader, T> read)
    {
        var (offset, count) = Range();
        var outer = _end;
        _pos = offset;
        _end = offset + count;
        var value = read(this);
        _pos = _end;
        _end = outer;
        return value;
    }

    /// <summary>Like <see cref="Msg{T}"/>, but a message byte for byte equal to the last one read through the same
    /// <paramref name="slot"/> (of this reader) is not decoded again: the value read then is returned. For immutable
    /// values that repeat in a batch — the same sender, channel, in event after event — one compare instead of
    /// decoding a record and its strings per event.</summary>
    public T MsgShared<T>(int slot, Func<ProtoReader, T> read) where T : class
    {
        var (offset, count) = Peek();
        ref var memo = ref MemoSlot(slot);
        if (memo.Value is T same && memo.Count == count && _bytes.AsSpan(memo.Offset, count).SequenceEqual(_bytes.AsSpan(offset, count)))
        {
            _pos = offset + count;
            return same;
        }

        var value = Msg(read);
        memo = (offset, count, value);
        return value;
    }

    /// <summary>Like <see cref="Str"/>, memoized per <paramref name="slot"/> as <see cref="MsgShared{T}"/> is.</summary>
    public string StrShared(int slot)
    {
        var (offset, count) = Peek();
        ref var memo = ref MemoSlot(slot);
        if (memo.Value is string same && memo.Count == count && _bytes.AsSpan(memo.Offset, count).SequenceEqual(_bytes.AsSpan(offset, count)))
        {
            _pos = offset + count;
            return same;
        }

        var value = Str();
        memo = (offset, count, value);
        return value;
    }

    private (int Offset, int Count, object? Value)[]? _memos;

    private ref (int Offset, int Count, object? Value) MemoSlot(int slot) => ref (_memos ??= new (int, int, object?)[4])[slot];

    /// <summary>Where the current length-delimited field's value is, without moving past it (the length read, the
    /// reader left at the length).</summary>
    private (int Offset, int Count) Peek()
    {
        var start = _pos;
        var range = Range();
        _pos = start;
        return range;
    }

    public void Skip()
    {
        switch (_lastType)
        {
            case WireType.Varint: Varint(); break;
            case WireType.Fixed64: Advance(8); break;
            case WireType.LengthDelimited: Range(); break;
            case WireType.Fixed32: Advance(4); break;
            default: throw Malformed($"wire type {(int)_lastType}"); // groups (3, 4) are not used by protobuf 3, nor here
        }
    }

    public static T Required<T>(T? value, string what) where T : class =>
        value ?? throw new SerializationException("chat protocol message without " + what);

    private ProtoReader Expect(WireType type) =>
        _lastType == type ? this : throw Malformed($"wire type {(int)_lastType} where {(int)type} was expected");

    /// <summary>The offset and length of a length-delimited field's value (and the reader moved past it).</summary>
    private (int Offset, int Count) Range()
    {
        if (_lastType != WireType.LengthDelimited) throw Malformed($"wire type {(int)_lastType} where a length was expected");
        var length = Varint();
        if (length > (ulong)(_end - _pos)) throw Malformed($"a length of {length} past the end of its message ({_end - _pos} bytes left)");
        var offset = _pos;
        _pos += (int)length;
        return (offset, (int)length);
    }

    private void Advance(int count)
    {
        if (count > _end - _pos) throw Malformed("a fixed-size field past the end");
        _pos += count;
    }

    private ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _end) throw Malformed("a varint past the end");
            var b = _bytes[_pos++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }

        throw Malformed("a varint longer than 10 bytes");
    }

    private static SerializationException Malformed(string what) => new("malformed chat protocol message: " + what);
}
