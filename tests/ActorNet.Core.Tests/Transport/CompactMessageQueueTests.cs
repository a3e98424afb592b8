using ActorNet.Transport;
using Akka.Actor;
using Xunit;

namespace ActorNet.Core.Tests.Transport;

public class CompactMessageQueueTests
{
    [Fact]
    public void Empty_queue_holds_no_slots_and_messages_leave_in_order()
    {
        var q = new CompactMessageQueue();
        Assert.False(q.HasMessages);
        Assert.Equal(0, q.Capacity);
        Assert.False(q.TryDequeue(out _));

        for (var i = 0; i < 5; i++) q.Enqueue(ActorRefs.Nobody, new Envelope(i, ActorRefs.NoSender));
        Assert.True(q.HasMessages);
        Assert.Equal(5, q.Count);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(q.TryDequeue(out var e));
            Assert.Equal(i, e.Message);
        }

        Assert.False(q.HasMessages);
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public void A_drained_burst_gives_its_large_array_back_but_a_small_one_is_kept()
    {
        var q = new CompactMessageQueue();
        for (var i = 0; i < 1000; i++) q.Enqueue(ActorRefs.Nobody, new Envelope(i, ActorRefs.NoSender));
        Assert.True(q.Capacity >= 1000);
        while (q.TryDequeue(out _)) { }
        Assert.Equal(0, q.Capacity);

        for (var i = 0; i < 3; i++) q.Enqueue(ActorRefs.Nobody, new Envelope(i, ActorRefs.NoSender));
        while (q.TryDequeue(out _)) { }
        Assert.InRange(q.Capacity, 1, CompactMessageQueue.RetainSlots);
    }

    [Fact]
    public void A_taken_message_is_not_kept_alive_by_the_queue()
    {
        var q = new CompactMessageQueue();
        var weak = Enqueue(q);
        Assert.True(Dequeue(q));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(weak.IsAlive);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static bool Dequeue(CompactMessageQueue q) => q.TryDequeue(out _);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static WeakReference Enqueue(CompactMessageQueue q)
        {
            var message = new object();
            q.Enqueue(ActorRefs.Nobody, new Envelope(message, ActorRefs.NoSender));
            return new WeakReference(message);
        }
    }

    [Fact]
    public async Task Concurrent_producers_lose_nothing_and_keep_each_producers_order()
    {
        var q = new CompactMessageQueue();
        const int producers = 4, each = 20_000;
        var writers = Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < each; i++) q.Enqueue(ActorRefs.Nobody, new Envelope((p, i), ActorRefs.NoSender));
        })).ToArray();

        var next = new int[producers];
        var received = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received < producers * each && DateTime.UtcNow < deadline)
        {
            if (!q.TryDequeue(out var e)) { await Task.Yield(); continue; }
            var (p, i) = ((int, int))e.Message;
            Assert.Equal(next[p], i);
            next[p]++;
            received++;
        }

        await Task.WhenAll(writers);
        Assert.Equal(producers * each, received);
        Assert.False(q.HasMessages);
    }
}
