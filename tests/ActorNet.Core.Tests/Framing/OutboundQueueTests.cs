using Xunit;
using ActorNet.Config;
using ActorNet.Framing;
using Akka.IO;
using static ActorNet.Core.Tests.Framing.FramingTestUtil;

namespace ActorNet.Core.Tests.Framing;

public class OutboundQueueTests
{
    private static readonly IFrameEncoder Lines = FrameCodecs.GetEncoder(FramingKind.Line, LineEnding.Lf);

    [Fact]
    public void An_idle_queue_holds_no_array_but_a_busy_one_keeps_its_spare()
    {
        using var q = new OutboundQueue(Lines, 1 << 20);
        Assert.Equal(0, q.HeldArrayBytes);

        Assert.Equal(OutboundQueue.Result.WriteNow, q.Enqueue(B("one"), out _));
        Assert.True(q.HeldArrayBytes > 0);
        Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B("two"), out _));
        Assert.NotNull(q.OnAck());          // "two" in flight: the acked array is kept as the spare
        int busy = q.HeldArrayBytes;
        Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B("three"), out _));
        Assert.Equal(busy, q.HeldArrayBytes); // "three" went into the spare, nothing rented

        Assert.NotNull(q.OnAck());
        Assert.Null(q.OnAck());             // idle now
        Assert.Equal(0, q.HeldArrayBytes);

        Assert.Equal(OutboundQueue.Result.WriteNow, q.Enqueue(B("four"), out var four));
        Assert.Equal("four\n", S(four!));
        Assert.Null(q.OnAck());
        Assert.Equal(0, q.HeldArrayBytes);
    }

    [Fact]
    public void As_is_payloads_are_never_copied_and_leave_as_one_gathered_write()
    {
        using var q = new OutboundQueue(FrameCodecs.GetEncoder(FramingKind.Raw, LineEnding.Lf), 1 << 20);
        var one = ByteString.FromBytes(B("one"));
        Assert.Equal(OutboundQueue.Result.WriteNow, q.EnqueueAsIs(one, out var first));
        Assert.Same(one, first);              // the payload itself is the write
        Assert.Equal(0, q.HeldArrayBytes);    // no array rented for it

        Assert.Equal(OutboundQueue.Result.Queued, q.EnqueueAsIs(ByteString.FromBytes(B("two")), out _));
        Assert.Equal(OutboundQueue.Result.Queued, q.EnqueueAsIs(ByteString.FromBytes(B("three")), out _));
        Assert.Equal(8, q.PendingBytes);
        var gathered = q.OnAck()!;
        Assert.Equal("twothree", S(gathered));
        Assert.False(gathered.IsCompact);     // two buffers side by side: gathered, not copied into one
        Assert.Equal(0, q.HeldArrayBytes);
        Assert.Null(q.OnAck());
    }

    [Fact]
    public void An_as_is_payload_behind_copied_bytes_keeps_its_place()
    {
        using var q = new OutboundQueue(FrameCodecs.GetEncoder(FramingKind.Raw, LineEnding.Lf), 1 << 20);
        Assert.Equal(OutboundQueue.Result.WriteNow, q.Enqueue(B("a"), out _));
        Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B("b"), out _));           // into the pending array
        Assert.Equal(OutboundQueue.Result.Queued, q.EnqueueAsIs(ByteString.FromBytes(B("c")), out _)); // copied behind it
        Assert.Equal("bc", S(q.OnAck()!));
        Assert.Equal(OutboundQueue.Result.Queued, q.EnqueueAsIs(ByteString.FromBytes(B("d")), out _)); // held as is
        Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B("e"), out _));           // joins the held list
        Assert.Equal("de", S(q.OnAck()!));
        Assert.Null(q.OnAck());
    }

    [Fact]
    public void As_is_payloads_count_against_the_limit()
    {
        using var q = new OutboundQueue(FrameCodecs.GetEncoder(FramingKind.Raw, LineEnding.Lf), 4);
        Assert.Equal(OutboundQueue.Result.WriteNow, q.EnqueueAsIs(ByteString.FromBytes(B("in flight")), out _));
        Assert.Equal(OutboundQueue.Result.Queued, q.EnqueueAsIs(ByteString.FromBytes(B("abcd")), out _));
        Assert.Equal(OutboundQueue.Result.LimitExceeded, q.EnqueueAsIs(ByteString.FromBytes(B("e")), out _));
        Assert.Equal(OutboundQueue.Result.LimitExceeded, q.Enqueue(B("e"), out _));
        Assert.Equal(4, q.PendingBytes);
    }

    [Fact]
    public void First_frame_is_written_now_and_the_next_ones_queue_until_ack()
    {
        using var q = new OutboundQueue(Lines, 1024);
        Assert.False(q.WriteInFlight);

        Assert.Equal(OutboundQueue.Result.WriteNow, q.Enqueue(B("one"), out var first));
        Assert.Equal("one\n", S(first!));
        Assert.True(q.WriteInFlight);
        Assert.Equal(4, q.InFlightBytes);
        Assert.Equal(0, q.PendingBytes);

        Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B("two"), out var none));
        Assert.Null(none);
        Assert.Equal(4, q.PendingBytes);
        Assert.Equal(8, q.TotalQueuedBytes);

        var second = q.OnAck();
        Assert.Equal("two\n", S(second!));
        Assert.True(q.WriteInFlight);
        Assert.Equal(4, q.InFlightBytes);
        Assert.Equal(0, q.PendingBytes);

        Assert.Null(q.OnAck());
        Assert.False(q.WriteInFlight);
        Assert.Equal(0, q.TotalQueuedBytes);

        Assert.Equal(OutboundQueue.Result.WriteNow, q.Enqueue(B("three"), out var third));
        Assert.Equal("three\n", S(third!));
    }

    [Fact]
    public void Deferred_frames_leave_as_one_write_on_flush_and_keep_order_with_a_write_in_flight()
    {
        using var q = new OutboundQueue(Lines, 1024);
        Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B("a"), Lines, out var w1, defer: true));
        Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B("b"), Lines, out var w2, defer: true));
        Assert.Null(w1);
        Assert.Null(w2);
        Assert.False(q.WriteInFlight);
        Assert.Equal(4, q.PendingBytes);

        var write = q.Flush();
        Assert.Equal("a\nb\n", S(write!));
        Assert.True(q.WriteInFlight);
        Assert.Null(q.Flush()); // in flight: nothing more to hand out

        // while in flight, deferred frames wait for the ack like any other
        q.Enqueue(B("c"), Lines, out _, defer: true);
        Assert.Null(q.Flush());
        Assert.Equal("c\n", S(q.OnAck()!));
        Assert.Null(q.OnAck());
        Assert.Null(q.Flush()); // idle and empty
    }

    [Fact]
    public void Deferred_frames_respect_the_limit()
    {
        using var q = new OutboundQueue(Lines, 5);
        Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B("abc"), Lines, out _, defer: true));
        Assert.Equal(OutboundQueue.Result.LimitExceeded, q.Enqueue(B("de"), Lines, out _, defer: true));
        Assert.Equal("abc\n", S(q.Flush()!));
    }

    [Fact]
    public void Frames_queued_during_a_write_leave_as_one_write_in_order()
    {
        using var q = new OutboundQueue(FrameCodecs.GetEncoder(FramingKind.Line, LineEnding.CrLf), 1 << 20);
        q.Enqueue(B("first"), out _);
        var expected = new System.Text.StringBuilder();
        for (int i = 0; i < 5000; i++)   // enough to grow the pending buffer several times
        {
            Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B($"msg {i}"), out _));
            expected.Append($"msg {i}\r\n");
        }
        Assert.Equal(expected.Length, q.PendingBytes);
        var coalesced = q.OnAck();
        Assert.Equal(expected.ToString(), S(coalesced!));
        Assert.Null(q.OnAck());
    }

    [Fact]
    public void Pending_may_reach_the_limit_exactly_but_not_pass_it()
    {
        using var q = new OutboundQueue(Lines, 10);
        q.Enqueue(B("in flight, not counted against the limit"), out _);
        Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B("abcd"), out _));      // 5
        Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B("efgh"), out _));      // 10 = limit
        Assert.Equal(10, q.PendingBytes);

        long inFlight = q.InFlightBytes;
        Assert.Equal(OutboundQueue.Result.LimitExceeded, q.Enqueue([], out var write)); // 11
        Assert.Null(write);
        Assert.Equal(10, q.PendingBytes);
        Assert.Equal(inFlight, q.InFlightBytes);
        Assert.True(q.WriteInFlight);
        Assert.Equal("abcd\nefgh\n", S(q.OnAck()!));
    }

    [Fact]
    public void One_byte_over_the_limit_queues_nothing()
    {
        using var q = new OutboundQueue(Lines, 10);
        q.Enqueue(B("x"), out _);
        Assert.Equal(OutboundQueue.Result.LimitExceeded, q.Enqueue(B("0123456789"), out _)); // 11 bytes framed
        Assert.Equal(0, q.PendingBytes);
        Assert.Null(q.OnAck());
        Assert.False(q.WriteInFlight);
    }

    [Fact]
    public void Ack_with_nothing_pending_goes_idle_and_a_stray_ack_is_refused()
    {
        using var q = new OutboundQueue(Lines, 100);
        Assert.Throws<InvalidOperationException>(() => q.OnAck());
        q.Enqueue(B("a"), out _);
        Assert.Null(q.OnAck());
        Assert.False(q.WriteInFlight);
        Assert.Equal(0, q.InFlightBytes);
        Assert.Throws<InvalidOperationException>(() => q.OnAck());
    }

    [Fact]
    public void A_write_is_not_mutated_while_in_flight_across_many_cycles()
    {
        using var q = new OutboundQueue(Lines, 1 << 20);
        Assert.Equal(OutboundQueue.Result.WriteNow, q.Enqueue(B("w0"), out var inFlight));
        var snapshot = inFlight!.ToArray();
        int n = 0;
        for (int cycle = 0; cycle < 50; cycle++)
        {
            // queue a growing number of frames while the write is in flight (forces buffer growth and reuse)
            for (int i = 0; i < cycle * 40; i++)
                q.Enqueue(B($"c{cycle}-{n++}"), out _);
            Assert.Equal(snapshot, inFlight.ToArray());

            var next = q.OnAck();
            if (next is null)
            {
                Assert.Equal(OutboundQueue.Result.WriteNow, q.Enqueue(B($"restart{cycle}"), out next));
            }
            inFlight = next!;
            snapshot = inFlight.ToArray();
        }
    }

    [Fact]
    public void Write_now_result_is_independent_of_the_caller_payload()
    {
        using var q = new OutboundQueue(FrameCodecs.GetEncoder(FramingKind.Raw, LineEnding.Lf), 100);
        var payload = B("abc");
        q.Enqueue(payload, out var write);
        var queued = B("def");
        q.Enqueue(queued, out _);
        payload[0] = (byte)'z';
        queued[0] = (byte)'z';
        Assert.Equal("abc", S(write!));
        Assert.Equal("def", S(q.OnAck()!));
    }

    [Fact]
    public void Length_prefixed_frames_are_framed_in_the_write()
    {
        using var q = new OutboundQueue(FrameCodecs.GetEncoder(FramingKind.LengthPrefixed, LineEnding.Lf), 100);
        q.Enqueue(B("ab"), out var write);
        Assert.Equal(new byte[] { 0, 0, 0, 2, (byte)'a', (byte)'b' }, write!.ToArray());
    }

    [Fact]
    public void Disposed_queue_refuses_use()
    {
        var q = new OutboundQueue(Lines, 100);
        q.Enqueue(B("a"), out _);
        q.Enqueue(B("b"), out _);
        q.Dispose();
        q.Dispose();
        Assert.Throws<ObjectDisposedException>(() => q.Enqueue(B("c"), out _));
        Assert.Throws<ObjectDisposedException>(() => q.OnAck());
    }

    [Fact]
    public void Bytes_written_as_is_are_in_flight_only_when_the_queue_was_idle_and_are_never_recycled()
    {
        using var q = new OutboundQueue(Lines, 1 << 20);
        Assert.True(q.TryWriteAsIs(100));
        Assert.True(q.WriteInFlight);
        Assert.Equal(100, q.TotalQueuedBytes);
        Assert.Equal(0, q.HeldArrayBytes); // the caller's array, not the queue's
        Assert.False(q.TryWriteAsIs(10)); // in flight: enqueue instead

        Assert.Equal(OutboundQueue.Result.Queued, q.Enqueue(B("next"), out _));
        Assert.Equal("next\n", S(q.OnAck()!)); // the pending frame follows; nothing of the caller's was touched
        Assert.False(q.TryWriteAsIs(10));
        Assert.Null(q.OnAck());
        Assert.Equal(0, q.HeldArrayBytes);
        Assert.True(q.TryWriteAsIs(10)); // idle again
    }
}
