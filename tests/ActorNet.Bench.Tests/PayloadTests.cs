using System.Text;
using ActorNet.Bench.Core;
using FsCheck;
using FsCheck.Xunit;

namespace ActorNet.Bench.Tests;

public class PayloadTests
{
    [Fact]
    public void Round_trips_and_pads_to_the_requested_size()
    {
        var buffer = new byte[200];
        int n = Payload.Write(buffer, 100, 42, 7, 123456789);
        Assert.Equal(100, n);
        Assert.Equal(100, Payload.Length(100, 42, 7, 123456789));
        Assert.True(Payload.TryRead(buffer.AsSpan(0, n), out int sender, out long seq, out long ts));
        Assert.Equal((42, 7L, 123456789L), (sender, seq, ts));
        Assert.StartsWith("2a.7.75bcd15.x", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public void A_size_smaller_than_the_header_still_carries_the_header()
    {
        var buffer = new byte[Payload.MaxHeaderBytes];
        int n = Payload.Write(buffer, 1, 3, 4, 5);
        Assert.Equal("3.4.5.", Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(n, Payload.Length(1, 3, 4, 5));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("1.2.")]
    [InlineData("g.1.2.")]
    [InlineData(".1.2.")]
    [InlineData("11111111111111111.1.2.")]
    public void Rejects_what_is_not_a_payload(string text) =>
        Assert.False(Payload.TryRead(Encoding.ASCII.GetBytes(text), out _, out _, out _));

    [Property]
    public void Any_header_round_trips(NonNegativeInt sender, NonNegativeInt seq, PositiveInt size)
    {
        long ts = (long)seq.Get * 1_000_003;
        var buffer = new byte[Payload.Length(size.Get % 2000, sender.Get, seq.Get, ts)];
        int n = Payload.Write(buffer, size.Get % 2000, sender.Get, seq.Get, ts);
        Assert.Equal(buffer.Length, n);
        Assert.True(Payload.TryRead(buffer, out int s, out long q, out long t));
        Assert.Equal((sender.Get, (long)seq.Get, ts), (s, q, t));
        Assert.DoesNotContain((byte)'\n', buffer);
        Assert.DoesNotContain((byte)' ', buffer);
    }
}
