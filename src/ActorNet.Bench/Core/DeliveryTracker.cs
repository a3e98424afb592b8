using System.Collections;

namespace ActorNet.Bench.Core;

/// <summary>
/// Accounting for one receiver: which (sender, sequence) pairs arrived, counting duplicates and reordering per sender.
/// Sequences run 0..messagesPerSender-1. Not thread-safe: owned by the receiver's read loop.
/// </summary>
public sealed class DeliveryTracker
{
    private readonly BitArray?[] _seen;
    private readonly long[] _next;
    private readonly int _messagesPerSender;

    /// <param name="senders">number of senders (ids 0..senders-1)</param>
    /// <param name="messagesPerSender">messages each sender sends (sequences 0..M-1)</param>
    public DeliveryTracker(int senders, int messagesPerSender)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(senders);
        ArgumentOutOfRangeException.ThrowIfNegative(messagesPerSender);
        _seen = new BitArray?[senders];
        _next = new long[senders];
        _messagesPerSender = messagesPerSender;
    }

    /// <summary>Distinct valid deliveries.</summary>
    public long Received { get; private set; }

    /// <summary>Deliveries of a (sender, sequence) already seen.</summary>
    public long Duplicated { get; private set; }

    /// <summary>Deliveries that arrived after a later sequence of the same sender.</summary>
    public long Reordered { get; private set; }

    /// <summary>Payloads naming an unknown sender or a sequence out of range.</summary>
    public long Invalid { get; private set; }

    /// <summary>Records one delivery; returns true when it was new (not a duplicate or invalid).</summary>
    public bool Record(int sender, long sequence)
    {
        if ((uint)sender >= (uint)_seen.Length || sequence < 0 || sequence >= _messagesPerSender)
        {
            Invalid++;
            return false;
        }
        var bits = _seen[sender] ??= new BitArray(_messagesPerSender);
        int seq = (int)sequence;
        if (bits[seq])
        {
            Duplicated++;
            return false;
        }
        bits[seq] = true;
        Received++;
        if (sequence < _next[sender])
            Reordered++;
        else
            _next[sender] = sequence + 1;
        return true;
    }

    /// <summary>Counts a line that was not a bench payload (or came from the receiver itself).</summary>
    public void RecordInvalid() => Invalid++;

    /// <summary>Deliveries expected but not received, given how many senders other than this receiver sent.</summary>
    public long Lost(long expected) => Math.Max(0, expected - Received);
}
