using System.Text;
using ActorNet.Faults;
using Akka.IO;
using Xunit;

namespace ActorNet.Core.Tests.Faults;

public sealed class ToxicLaneTests
{
    private static ByteString Frame(string text) => ByteString.FromBytes(Encoding.UTF8.GetBytes(text));

    private static ToxicSpec Toxic(ToxicKind kind) => new("t", kind, ToxicDirection.Downstream, "echo", null);

    [Fact]
    public void Without_toxics_frames_pass_straight_through()
    {
        var lane = new ToxicLane(new Random(1));
        Assert.True(lane.IsPassThrough);
        Assert.Equal(LaneVerdict.Deliver, lane.Offer(Frame("a"), 0));
    }

    [Fact]
    public void Latency_holds_frames_at_least_the_delay_and_keeps_order_with_jitter()
    {
        var lane = new ToxicLane(new Random(7));
        lane.Configure([Toxic(ToxicKind.Latency) with { Latency = TimeSpan.FromMilliseconds(100), Jitter = TimeSpan.FromMilliseconds(50) }]);
        for (var i = 0; i < 50; i++) Assert.Equal(LaneVerdict.Queued, lane.Offer(Frame(i.ToString()), i));

        var output = new List<ByteString>();
        lane.TakeDue(49, output);
        Assert.Empty(output); // minimum delay is 100 - 50 ms
        lane.TakeDue(1000, output);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString()), output.Select(f => f.ToString()));
        Assert.Equal(0, lane.QueuedBytes);
    }

    [Fact]
    public void Latency_without_jitter_releases_exactly_at_due_time()
    {
        var lane = new ToxicLane(new Random(1));
        lane.Configure([Toxic(ToxicKind.Latency) with { Latency = TimeSpan.FromMilliseconds(200) }]);
        lane.Offer(Frame("a"), 1000);
        var output = new List<ByteString>();
        lane.TakeDue(1199, output);
        Assert.Empty(output);
        Assert.Equal(1200, lane.NextDue);
        lane.TakeDue(1200, output);
        Assert.Single(output);
    }

    [Fact]
    public void Bandwidth_spaces_frames_by_their_size_over_the_rate()
    {
        var lane = new ToxicLane(new Random(1));
        lane.Configure([Toxic(ToxicKind.Bandwidth) with { RateKiBps = 1 }]); // 1024 bytes per second
        var frame = ByteString.FromBytes(new byte[512]);
        Assert.Equal(LaneVerdict.Deliver, lane.Offer(frame, 0));
        Assert.Equal(LaneVerdict.Queued, lane.Offer(frame, 0));
        Assert.Equal(LaneVerdict.Queued, lane.Offer(frame, 0));
        Assert.Equal(500, lane.NextDue!.Value, 3);
        var output = new List<ByteString>();
        lane.TakeDue(999, output);
        Assert.Single(output);
        lane.TakeDue(1000, output);
        Assert.Equal(2, output.Count);
    }

    [Fact]
    public void Drop_drops_about_its_probability_and_is_reproducible_by_seed()
    {
        int Dropped(int seed)
        {
            var lane = new ToxicLane(new Random(seed));
            lane.Configure([Toxic(ToxicKind.Drop) with { Probability = 0.3 }]);
            return Enumerable.Range(0, 10_000).Count(i => lane.Offer(Frame("x"), i) == LaneVerdict.Dropped);
        }

        var dropped = Dropped(5);
        Assert.InRange(dropped, 2700, 3300);
        Assert.Equal(dropped, Dropped(5));
    }

    [Fact]
    public void Reset_after_fires_once_the_byte_budget_is_passed()
    {
        var lane = new ToxicLane(new Random(1));
        lane.Configure([Toxic(ToxicKind.ResetAfter) with { Bytes = 10 }]);
        Assert.Equal(LaneVerdict.Deliver, lane.Offer(Frame("12345"), 0));
        Assert.Equal(LaneVerdict.Deliver, lane.Offer(Frame("12345"), 0));
        Assert.Equal(LaneVerdict.Reset, lane.Offer(Frame("1"), 0));
    }

    [Fact]
    public void Timeout_swallows_and_removing_toxics_releases_held_frames_in_order()
    {
        var lane = new ToxicLane(new Random(1));
        lane.Configure([Toxic(ToxicKind.Timeout) with { Delay = TimeSpan.FromSeconds(1) }]);
        Assert.Equal(TimeSpan.FromSeconds(1), lane.Timeout);
        Assert.Equal(LaneVerdict.Swallowed, lane.Offer(Frame("gone"), 0));

        lane.Configure([Toxic(ToxicKind.Latency) with { Latency = TimeSpan.FromMilliseconds(100) }]);
        lane.Offer(Frame("a"), 0);
        lane.Configure([]);
        Assert.False(lane.IsPassThrough); // "a" still held: "b" must wait behind it
        Assert.Equal(LaneVerdict.Queued, lane.Offer(Frame("b"), 10));
        var output = new List<ByteString>();
        lane.TakeAll(output);
        Assert.Equal(["a", "b"], output.Select(f => f.ToString()));
        Assert.True(lane.IsPassThrough);
    }
}
