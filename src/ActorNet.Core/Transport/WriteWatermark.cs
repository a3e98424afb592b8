namespace ActorNet.Transport;

/// <summary>
/// The soft tier of a two-tier write queue (<c>write-queue-soft-limit-bytes</c> under <c>write-queue-limit-bytes</c>):
/// pure state, "flowing" or "paused", fed with the bytes queued after every enqueue and ack. Above the soft limit it
/// pauses (whoever feeds the queue is asked to stop), at <see cref="ResumeAt"/> (half the soft limit: hysteresis, so a
/// busy queue does not flap per write) it flows again. The hard limit is not a pause: it is where the queue itself
/// refuses (<see cref="Framing.OutboundQueue.Result.LimitExceeded"/>) and the owner cuts the reader or fails the link;
/// the soft limit is kept at most half of it so that the two tiers never merge.
/// </summary>
/// <remarks>
/// Shared by <see cref="Connection"/> (OutputBusy/OutputReady to its handler, held acks) and the forward handler's
/// upstream link (the client's read credit held back) through <see cref="AckWriter.Watermark"/>, so both apply the
/// same rule. Not thread-safe: owned by one actor.
/// </remarks>
public sealed class WriteWatermark
{
    /// <summary>What one <see cref="Update"/> changed.</summary>
    public enum Transition
    {
        /// <summary>Still flowing, or still paused.</summary>
        None,

        /// <summary>Flowing → paused: more than <see cref="SoftLimit"/> is queued.</summary>
        Paused,

        /// <summary>Paused → flowing: the queue drained to <see cref="ResumeAt"/>.</summary>
        Resumed,
    }

    /// <param name="softLimit">pause above this many queued bytes (lowered to half of <paramref name="hardLimit"/>)</param>
    /// <param name="hardLimit">the queue's own limit (>= 1)</param>
    public WriteWatermark(long softLimit, long hardLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hardLimit, 1);
        HardLimit = hardLimit;
        SoftLimit = Math.Clamp(softLimit, 1, Math.Max(1, hardLimit / 2));
        ResumeAt = SoftLimit / 2;
    }

    public long HardLimit { get; }

    public long SoftLimit { get; }

    /// <summary>A paused queue flows again once at most this much is queued (half the soft limit).</summary>
    public long ResumeAt { get; }

    /// <summary>True from a <see cref="Transition.Paused"/> to the next <see cref="Transition.Resumed"/>.</summary>
    public bool Paused { get; private set; }

    /// <summary>The queue now holds <paramref name="queuedBytes"/> (in flight and pending): pause or resume.</summary>
    public Transition Update(long queuedBytes)
    {
        if (!Paused)
        {
            if (queuedBytes <= SoftLimit) return Transition.None;
            Paused = true;
            return Transition.Paused;
        }

        if (queuedBytes > ResumeAt) return Transition.None;
        Paused = false;
        return Transition.Resumed;
    }
}
