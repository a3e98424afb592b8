using Xunit;
using ActorNet.Framing;

namespace ActorNet.Core.Tests.Framing;

public class PooledByteBufferTests
{
    [Fact]
    public void Grows_across_appends_and_keeps_content()
    {
        using var buffer = new PooledByteBuffer(100_000);
        var expected = new List<byte>();
        for (int i = 0; i < 1000; i++)
        {
            byte[] chunk = [(byte)i, (byte)(i >> 8), 7];
            buffer.Append(chunk);
            expected.AddRange(chunk);
        }
        Assert.Equal(expected.ToArray(), buffer.Span.ToArray());
    }

    [Fact]
    public void Refuses_to_pass_its_maximum()
    {
        using var buffer = new PooledByteBuffer(4);
        buffer.Append(new byte[4]);
        Assert.Throws<InvalidOperationException>(() => buffer.Append(new byte[1]));
        Assert.Equal(4, buffer.Length);
    }

    [Fact]
    public void Clear_keeps_a_small_array_and_releases_a_large_one()
    {
        using var buffer = new PooledByteBuffer(1 << 20);
        buffer.Append(new byte[10]);
        buffer.Clear();
        Assert.Equal(0, buffer.Length);
        Assert.NotEqual(0, buffer.Capacity);

        buffer.Append(new byte[PooledByteBuffer.RetainCapacity + 1]);
        buffer.Clear();
        Assert.Equal(0, buffer.Capacity);

        buffer.Dispose();
        Assert.Equal(0, buffer.Capacity);
    }
}
