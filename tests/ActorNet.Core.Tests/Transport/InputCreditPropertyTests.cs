using ActorNet.Transport;
using FsCheck.Xunit;
using Xunit;

namespace ActorNet.Core.Tests.Transport;

/// <summary>The read credit between a connection and its handler (<see cref="InputCredit"/>): any interleaving of
/// reads, handler progress and wake-ups keeps the outstanding input bounded and never stalls. Fixed seed.</summary>
[Properties(MaxTest = 500, Replay = "20261202,2113")]
public class InputCreditPropertyTests
{
    /// <summary>
    /// ops: each byte is one step of one side. 0: the connection wants to read (if it is not waiting for a wake-up, it
    /// asks <see cref="InputCredit.MayRead"/>; yes = a read of some cost is delivered, no = it waits). 1: the handler
    /// processes its oldest delivery (a true result is a wake-up message in flight). 2: the connection takes a
    /// wake-up. At the end the handler processes everything and wake-ups are taken: then the connection must be able
    /// to read again, and at every step the outstanding cost stays under limit + one read.
    /// </summary>
    [Property]
    public void Outstanding_stays_bounded_and_reads_always_resume(byte[] ops, byte limitSeed, byte[] costs)
    {
        var limit = 1 + limitSeed * 16L;
        var credit = new InputCredit(limit);
        var maxCost = 1L;
        var mailbox = new Queue<long>();
        var waiting = false;
        var wakes = 0;
        var next = 0;

        long NextCost()
        {
            long cost = costs is { Length: > 0 } ? 1 + costs[next++ % costs.Length] * 8L : 64;
            maxCost = Math.Max(maxCost, cost);
            return cost;
        }

        void TryRead()
        {
            if (waiting) return;
            if (credit.MayRead())
            {
                var cost = NextCost();
                credit.Delivered(cost);
                mailbox.Enqueue(cost);
            }
            else
            {
                waiting = true;
            }
        }

        void Process()
        {
            if (mailbox.Count == 0) return;
            if (credit.Processed(mailbox.Dequeue())) wakes++;
        }

        void TakeWake()
        {
            if (wakes == 0) return;
            wakes--;
            waiting = false;
        }

        foreach (var op in ops)
        {
            switch (op % 3)
            {
                case 0: TryRead(); break;
                case 1: Process(); break;
                default: TakeWake(); break;
            }

            Assert.True(credit.Outstanding < limit + maxCost, $"outstanding {credit.Outstanding} with limit {limit}, largest read {maxCost}");
            Assert.True(wakes <= 1, "at most one wake-up per stop");
        }

        while (mailbox.Count > 0) Process();
        Assert.Equal(0, credit.Outstanding);
        Assert.True(!waiting || wakes == 1, "the connection waits for a wake-up that nobody sends");
        TakeWake();
        Assert.True(credit.MayRead());
    }

    [Fact]
    public void A_stopped_connection_is_woken_once_at_half_the_limit()
    {
        var credit = new InputCredit(1000);
        credit.Delivered(600);
        credit.Delivered(600);
        Assert.False(credit.MayRead());
        Assert.False(credit.Processed(600)); // 600 left: above half
        Assert.True(credit.Processed(200)); // 400 left: wake
        Assert.False(credit.Processed(400)); // already woken
        Assert.True(credit.MayRead());
    }

    [Fact]
    public void The_cost_of_a_delivery_counts_frames_as_well_as_bytes() =>
        Assert.Equal(10 + 3 * InputCredit.FrameCost, InputCredit.Cost(3, 10));

    /// <summary>The two sides on two threads (the real case): whatever the timing, the hand-off never loses the
    /// wake-up, so the reader always gets through all its reads. Bounded in count, not in time.</summary>
    [Fact]
    public async Task Concurrent_reader_and_handler_never_stall()
    {
        const int Reads = 200_000;
        var credit = new InputCredit(64);
        var mailbox = new System.Collections.Concurrent.BlockingCollection<long>();
        var wake = new SemaphoreSlim(0);
        var handler = Task.Run(() =>
        {
            for (var i = 0; i < Reads; i++)
                if (credit.Processed(mailbox.Take())) wake.Release();
        });
        for (var i = 0; i < Reads; i++)
        {
            while (!credit.MayRead())
                Assert.True(await wake.WaitAsync(TimeSpan.FromSeconds(10)), $"stalled at read {i}, outstanding {credit.Outstanding}");
            credit.Delivered(40);
            mailbox.Add(40);
        }

        await handler.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, credit.Outstanding);
    }
}
