namespace ActorNet.Transport;

/// <summary>
/// How much client input a connection has handed to its handler that the handler has not processed yet: the read
/// side's credit (<c>input-credit-bytes</c>). The connection counts each delivery in (<see cref="Delivered"/>) and asks
/// before each socket read (<see cref="MayRead"/>); the handler counts each processed delivery out
/// (<see cref="Processed"/>, done by <see cref="Handlers.ConnectionHandler"/> after every frame message). Above the
/// limit the connection stops reading; the handler wakes it once the outstanding input is down to half the limit.
/// </summary>
/// <remarks>
/// Shared by exactly two actors (the connection and its handler), so no message per delivery is needed while the
/// handler keeps up: the steady state costs two interlocked adds per socket read, and a wake-up message is sent only
/// after the connection actually stopped. The stop/wake hand-off is a Dekker pair (both sides write with a full fence,
/// then read the other's variable): whichever of the two observes the other's write claims the wake-up, so exactly
/// one of them resumes reading and input never stalls while the handler has caught up.
/// A delivery costs its payload bytes plus <see cref="FrameCost"/> per frame, so that a stream of empty lines is
/// bounded too (each is a message object in the handler's mailbox).
/// </remarks>
public sealed class InputCredit
{
    /// <summary>What one frame costs on top of its payload (roughly its message object and slice).</summary>
    public const int FrameCost = 64;

    private long _outstanding;
    private int _waiting;

    /// <param name="limit">most outstanding cost before reads stop (>= 1)</param>
    public InputCredit(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        ResumeAt = limit / 2;
    }

    public long Limit { get; }

    /// <summary>Reads resume once the outstanding cost is down to this (half the limit: hysteresis, so that a busy
    /// handler is not woken per frame).</summary>
    public long ResumeAt { get; }

    /// <summary>Cost handed to the handler and not yet processed.</summary>
    public long Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>The cost of a delivery of <paramref name="frames"/> frames holding <paramref name="bytes"/> bytes.</summary>
    public static long Cost(int frames, long bytes) => bytes + (long)frames * FrameCost;

    /// <summary>Connection: a delivery was handed to the handler.</summary>
    public void Delivered(long cost) => Interlocked.Add(ref _outstanding, cost);

    /// <summary>Connection, before requesting a read: true if it may read now. False means it must wait; the handler's
    /// <see cref="Processed"/> then returns true once (and the handler wakes the connection).</summary>
    public bool MayRead()
    {
        if (Volatile.Read(ref _outstanding) < Limit) return true;
        Interlocked.Exchange(ref _waiting, 1);
        // The handler may have caught up between the test above and the flag: then claim the wake-up ourselves.
        return Volatile.Read(ref _outstanding) <= ResumeAt && Interlocked.Exchange(ref _waiting, 0) == 1;
    }

    /// <summary>Handler: a delivery of <paramref name="cost"/> was processed. True when the connection is waiting and
    /// the outstanding cost is now down to <see cref="ResumeAt"/>: the caller must wake the connection.</summary>
    public bool Processed(long cost)
    {
        var left = Interlocked.Add(ref _outstanding, -cost);
        return left <= ResumeAt && Volatile.Read(ref _waiting) == 1 && Interlocked.Exchange(ref _waiting, 0) == 1;
    }
}
