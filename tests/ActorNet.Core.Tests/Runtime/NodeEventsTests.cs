using ActorNet.Runtime;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorNet.Core.Tests.Runtime;

/// <summary><see cref="NodeEvents"/>: publishing never waits; a consumer that stops reading is dropped alone.</summary>
public sealed class NodeEventsTests : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static Killed Event(int i) => new(DateTimeOffset.UtcNow, "connection " + i, "close", "test");

    [Fact]
    public async Task Nothing_is_built_or_sent_while_nobody_listens()
    {
        var events = new NodeEvents(Sys, 16, 16);
        Assert.False(events.HasListeners);
        events.Publish(Event(1)); // no stream yet, nothing happens
        var (ready, first) = events.Subscribe().ToMaterialized(Sink.First<NodeEvent>(), Keep.Both).Run(Sys.Materializer());
        await ready.WaitAsync(Timeout);
        Assert.True(events.HasListeners);
        events.Publish(Event(2));
        Assert.Equal("connection 2", ((Killed)await first.WaitAsync(Timeout)).Target);
        await AwaitAssertAsync(() => Assert.False(events.HasListeners), Timeout); // Sink.First is done: detached
    }

    [Fact]
    public async Task A_consumer_that_never_reads_is_dropped_and_the_others_get_everything()
    {
        var events = new NodeEvents(Sys, 256, 8); // the node-wide buffer holds the burst; the stuck consumer may lag 8
        var materializer = Sys.Materializer();
        // A queue nobody pulls: a client that never reads (the queue's own small buffer fills first, then ours).
        var (stuckReady, stuckEnded) = events.Subscribe()
            .WatchTermination((ready, done) => (ready, done))
            .ToMaterialized(Sink.Queue<NodeEvent>(), Keep.Left)
            .Run(materializer);
        var (ready, all) = events.Subscribe().Take(200).ToMaterialized(Sink.Seq<NodeEvent>(), Keep.Both).Run(materializer);
        await Task.WhenAll(stuckReady, ready).WaitAsync(Timeout);

        for (var i = 0; i < 200; i++) events.Publish(Event(i)); // never blocks, whatever the consumers do
        await Assert.ThrowsAsync<BufferOverflowException>(() => stuckEnded.WaitAsync(Timeout));
        var received = await all.WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => "connection " + i), received.Cast<Killed>().Select(k => k.Target));
    }
}
