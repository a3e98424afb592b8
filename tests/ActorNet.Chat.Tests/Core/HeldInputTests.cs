using ActorNet.Chat.Session;
using Akka.IO;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace ActorNet.Chat.Tests.Core;

public sealed class HeldInputTests
{
    private static ByteString Line(int bytes) => ByteString.FromBytes(new byte[bytes]);

    [Fact]
    public void Pauses_once_at_max_queued_and_resumes_once_at_half()
    {
        var held = new HeldInput(maxQueued: 4, maxBytes: 1 << 20);
        Assert.Equal(HeldInput.Verdict.Held, held.Add(Line(10), 74));
        Assert.Equal(HeldInput.Verdict.Held, held.Add(Line(10), 74));
        Assert.Equal(HeldInput.Verdict.Held, held.Add(Line(10), 74));
        Assert.Equal(HeldInput.Verdict.Pause, held.Add(Line(10), 74));
        Assert.Equal(HeldInput.Verdict.Held, held.Add(Line(10), 74)); // read before the pause took effect
        Assert.True(held.TryTake(out _, out var credit, out var resume));
        Assert.Equal((74, false), (credit, resume));
        Assert.True(held.TryTake(out _, out _, out resume));
        Assert.False(resume);
        Assert.True(held.TryTake(out _, out _, out resume));
        Assert.True(resume); // 2 left = half of 4
        Assert.False(held.Paused);
        Assert.Equal(2 * 74, held.Credit);
    }

    [Fact]
    public void A_line_past_max_bytes_is_a_flood_and_not_held()
    {
        var held = new HeldInput(maxQueued: 100, maxBytes: 100);
        Assert.Equal(HeldInput.Verdict.Held, held.Add(Line(60), 1));
        Assert.Equal(HeldInput.Verdict.Flood, held.Add(Line(41), 1));
        Assert.Equal((1, 60L, 1L), (held.Count, held.Bytes, held.Credit));
        Assert.Equal(1, held.Clear());
        Assert.Equal((0, 0L, 0L), (held.Count, held.Bytes, held.Credit));
    }

    /// <summary>Any interleaving of arrivals and runs: every credit taken in comes back out exactly once, lines leave
    /// in order, and pause/resume alternate (never two pauses without a resume).</summary>
    [Property(MaxTest = 300)]
    public bool Credit_order_and_pauses_stay_consistent(bool[] ops, byte maxQueued)
    {
        var held = new HeldInput(maxQueued % 30, 1 << 30);
        long given = 0, returned = 0;
        int next = 0, expected = 0;
        var paused = false;
        foreach (var add in ops)
        {
            if (add)
            {
                var v = held.Add(ByteString.FromBytes(BitConverter.GetBytes(next++)), 7);
                given += 7;
                if (v == HeldInput.Verdict.Pause)
                {
                    if (paused) return false;
                    paused = true;
                }
            }
            else if (held.TryTake(out var line, out var credit, out var resume))
            {
                returned += credit;
                if (BitConverter.ToInt32(line.ToArray()) != expected++) return false;
                if (resume)
                {
                    if (!paused) return false;
                    paused = false;
                }
            }

            if (held.Count > 0 && paused != held.Paused) return false;
        }

        returned += held.Clear();
        return given == returned && held.Count == 0;
    }
}
