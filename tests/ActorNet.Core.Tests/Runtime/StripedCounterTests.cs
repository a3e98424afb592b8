using ActorNet.Runtime;
using Xunit;

namespace ActorNet.Core.Tests.Runtime;

public class StripedCounterTests
{
    [Fact(Timeout = 30_000)]
    public async Task Concurrent_adds_from_many_threads_sum_exactly()
    {
        var counter = new StripedCounter();
        const int threads = 8, adds = 100_000;
        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < adds; i++) counter.Add(t % 2 == 0 ? 1 : 3);
        })));
        Assert.Equal(threads / 2 * adds * 1L + threads / 2 * adds * 3L, counter.Value);
    }

    [Fact]
    public void Starts_at_zero_and_counts_increments()
    {
        var counter = new StripedCounter();
        Assert.Equal(0, counter.Value);
        counter.Increment();
        counter.Add(41);
        Assert.Equal(42, counter.Value);
    }
}
