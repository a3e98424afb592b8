using ActorNet.Bench.Core;

namespace ActorNet.Bench.Tests;

public class DeliveryTrackerTests
{
    [Fact]
    public void In_order_deliveries_are_all_counted_once()
    {
        var t = new DeliveryTracker(senders: 3, messagesPerSender: 4);
        for (int s = 1; s < 3; s++)
            for (int q = 0; q < 4; q++)
                Assert.True(t.Record(s, q));
        Assert.Equal(8, t.Received);
        Assert.Equal(0, t.Duplicated + t.Reordered + t.Invalid);
        Assert.Equal(0, t.Lost(8));
    }

    [Fact]
    public void Duplicates_reordering_loss_and_invalid_are_counted_separately()
    {
        var t = new DeliveryTracker(senders: 2, messagesPerSender: 5);
        t.Record(0, 0);
        t.Record(0, 2);      // 1 skipped for now
        t.Record(0, 1);      // late: reordered
        t.Record(0, 2);      // duplicate
        t.Record(1, 0);
        t.Record(5, 0);      // unknown sender
        t.Record(1, 5);      // sequence out of range
        t.RecordInvalid();
        Assert.Equal(4, t.Received);
        Assert.Equal(1, t.Duplicated);
        Assert.Equal(1, t.Reordered);
        Assert.Equal(3, t.Invalid);
        Assert.Equal(6, t.Lost(10));   // sender 0: 3, 4 missing; sender 1: 1..4 missing
    }

    [Fact]
    public void Order_is_checked_per_sender()
    {
        var t = new DeliveryTracker(senders: 2, messagesPerSender: 3);
        t.Record(1, 2);
        t.Record(0, 0);   // another sender's first message after sender 1's last: not reordered
        Assert.Equal(0, t.Reordered);
    }
}

public class LatencyHistogramTests
{
    [Fact]
    public void Small_values_are_exact()
    {
        var h = new LatencyHistogram();
        for (int i = 1; i <= 50; i++)
            h.Record(i);
        Assert.Equal(25, h.Percentile(50));
        Assert.Equal(50, h.Percentile(99));
        Assert.Equal(50, h.Percentile(100));
        Assert.Equal(1, h.Percentile(0));
    }

    [Fact]
    public void Large_values_are_within_three_percent_and_never_above_the_max()
    {
        var h = new LatencyHistogram();
        for (int i = 1; i <= 100_000; i++)
            h.Record(i * 10L);
        AssertNear(500_000, h.Percentile(50));
        AssertNear(990_000, h.Percentile(99));
        Assert.Equal(1_000_000, h.Percentile(100));
        Assert.Equal(1_000_000, h.Max);
    }

    [Fact]
    public void Merge_adds_counts_and_keeps_extremes()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        for (int i = 0; i < 99; i++) a.Record(10);
        b.Record(5000);
        a.Merge(b);
        Assert.Equal(100, a.Count);
        Assert.Equal(10, a.Percentile(99));
        AssertNear(5000, a.Percentile(100));
        Assert.Equal(5000, a.Max);
        Assert.Equal(10, a.Min);
    }

    [Fact]
    public void Empty_histogram_reports_zero_and_negative_samples_count_as_zero()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.Percentile(99));
        h.Record(-5);
        Assert.Equal(0, h.Percentile(50));
    }

    [Fact]
    public void Bucket_index_is_monotonic_and_upper_bounds_contain_the_value()
    {
        int last = -1;
        for (long v = 0; v < 1 << 20; v += 1 + v / 50)
        {
            int i = LatencyHistogram.Index(v);
            Assert.True(i >= last);
            Assert.True(LatencyHistogram.UpperValue(i) >= v);
            last = i;
        }
    }

    private static void AssertNear(long expected, long actual) =>
        Assert.InRange(actual, expected * 0.97, expected * 1.03);
}

public class SummaryTests
{
    [Fact]
    public void Median_of_odd_and_even_counts()
    {
        Assert.Equal(2, Summary.Median([3, 1, 2]));
        Assert.Equal(2.5, Summary.Median([4, 1, 2, 3]));
        Assert.Equal(0, Summary.Median([]));
    }

    [Fact]
    public void Summarize_prints_medians_and_ratios_per_case()
    {
        string Line(string server, double v) =>
            $$"""{"workload":"fanout","target":"x","label":"fanout-c50|{{server}}","ok":true,"deliveries_per_s":{{v}},"errors":[]}""";
        var text = Summary.Summarize([Line("actornet", 300), Line("actornet", 100), Line("actornet", 200), Line("nats", 100)]);
        Assert.Contains("fanout-c50", text);
        Assert.Matches(@"actornet\s+200", text);
        Assert.Contains("actornet/nats = 2.00", text);
    }
}

public class SummaryOkRunsTests
{
    [Fact]
    public void Failed_runs_are_left_out_of_the_median_and_counted()
    {
        string Line(double v, bool ok) =>
            $$"""{"workload":"echo","target":"x","label":"echo|baseline","ok":{{(ok ? "true" : "false")}},"msgs_per_s":{{v}},"errors":[]}""";
        var text = Summary.Summarize([Line(0, false), Line(100, true), Line(300, true)], reference: "baseline");
        Assert.Matches(@"baseline\s+200\s+runs=3 NOT-OK=1", text);
    }
}
