using ActorNet.Framing;
using ActorNet.Transport;
using FsCheck.Xunit;
using Xunit;

namespace ActorNet.Core.Tests.Transport;

/// <summary>The two tiers of a write queue: the soft limit (<see cref="WriteWatermark"/>, paused/flowing with
/// hysteresis) over the real <see cref="OutboundQueue"/> and its hard limit, under any sequence of enqueues and acks.
/// Fixed seed.</summary>
[Properties(MaxTest = 500, Replay = "20261203,1343")]
public class WriteWatermarkPropertyTests
{
    /// <summary>
    /// ops: even = enqueue a payload (sizes round robin, up to twice the hard limit), odd = ack the write in flight.
    /// After every step the watermark is updated with what is queued, as Connection and UpstreamLink do. Then: no
    /// enqueue takes the pending bytes past the hard limit without being refused (LimitExceeded, the owner's cue to
    /// cut); more than the soft limit queued is always paused; at most the resume level queued is never paused; a
    /// transition happens only when it crosses a level (no flapping in between); once everything is acked it flows.
    /// </summary>
    [Property]
    public void Hard_bound_is_reported_and_pauses_always_end(byte[] ops, byte softSeed, byte hardSeed, byte[] sizes)
    {
        long hard = 16 + hardSeed * 64L;
        var watermark = new WriteWatermark(1 + softSeed * 32L, hard);
        using var queue = new OutboundQueue(RawFrameEncoder.Instance, hard);
        var next = 0;

        void Check(WriteWatermark.Transition transition, bool wasPaused)
        {
            var queued = queue.TotalQueuedBytes;
            Assert.True(queue.PendingBytes <= hard, $"pending {queue.PendingBytes} over the hard limit {hard}");
            if (queued > watermark.SoftLimit) Assert.True(watermark.Paused, $"{queued} queued, soft {watermark.SoftLimit}: not paused");
            if (queued <= watermark.ResumeAt) Assert.False(watermark.Paused, $"{queued} queued, resume at {watermark.ResumeAt}: still paused");
            switch (transition)
            {
                case WriteWatermark.Transition.Paused: Assert.False(wasPaused); break;
                case WriteWatermark.Transition.Resumed: Assert.True(wasPaused); break;
                default: Assert.Equal(wasPaused, watermark.Paused); break;
            }
        }

        void Step(Action change)
        {
            var wasPaused = watermark.Paused;
            change();
            Check(watermark.Update(queue.TotalQueuedBytes), wasPaused);
        }

        foreach (var op in ops)
        {
            if (op % 2 == 0)
            {
                var size = sizes is { Length: > 0 } ? (int)(sizes[next++ % sizes.Length] * (2 * hard) / 255) : 16;
                Step(() =>
                {
                    var inFlight = queue.WriteInFlight;
                    var pendingBefore = queue.PendingBytes;
                    var result = queue.Enqueue(new byte[size], out _);
                    if (inFlight) Assert.Equal(pendingBefore + size > hard, result == OutboundQueue.Result.LimitExceeded);
                    else Assert.Equal(OutboundQueue.Result.WriteNow, result);
                });
            }
            else if (queue.WriteInFlight)
            {
                Step(() => queue.OnAck());
            }
        }

        while (queue.WriteInFlight) Step(() => queue.OnAck());
        Assert.False(watermark.Paused, "paused with nothing queued");
    }

    [Fact]
    public void Between_the_levels_it_keeps_its_state()
    {
        var watermark = new WriteWatermark(1000, 4000);
        Assert.Equal(WriteWatermark.Transition.None, watermark.Update(1000));
        Assert.Equal(WriteWatermark.Transition.Paused, watermark.Update(1001));
        Assert.Equal(WriteWatermark.Transition.None, watermark.Update(2000));
        Assert.Equal(WriteWatermark.Transition.None, watermark.Update(501)); // above half: still paused
        Assert.True(watermark.Paused);
        Assert.Equal(WriteWatermark.Transition.Resumed, watermark.Update(500));
        Assert.Equal(WriteWatermark.Transition.None, watermark.Update(999));
        Assert.False(watermark.Paused);
    }

    [Fact]
    public void The_soft_limit_is_at_most_half_the_hard_limit()
    {
        var watermark = new WriteWatermark(10_000, 4000);
        Assert.Equal(2000, watermark.SoftLimit);
        Assert.Equal(1000, watermark.ResumeAt);
        Assert.Equal(1, new WriteWatermark(0, 1).SoftLimit);
    }
}
