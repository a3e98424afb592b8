using System.Text;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Clients;

/// <summary>State shared by the clients of one fan-out run (written per receiver, read by senders and progress).</summary>
internal sealed class FanoutShared
{
    private int _receiversLeft;

    public FanoutShared(BenchOptions options, FanoutProtocol protocol)
    {
        Options = options;
        Protocol = protocol;
        Progress = new long[(long)options.Clients * options.Clients];
        _receiversLeft = options.Clients;
        LinePrefix = Encoding.ASCII.GetBytes(protocol == FanoutProtocol.Irc
            ? $"PRIVMSG {options.Channel} :"
            : $"PUB {options.Channel} ");
    }

    public BenchOptions Options { get; }
    public FanoutProtocol Protocol { get; }

    /// <summary>Bytes before the payload on every sent line (<c>PRIVMSG #c :</c> or <c>PUB subj </c>).</summary>
    public byte[] LinePrefix { get; }

    /// <summary>[receiver * C + sender] = highest sequence + 1 that receiver got from sender (single writer per row).</summary>
    public long[] Progress { get; }

    public TaskCompletionSource AllReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReceiverDone()
    {
        if (Interlocked.Decrement(ref _receiversLeft) == 0)
            AllReceived.TrySetResult();
    }

    /// <summary>The fewest messages of <paramref name="sender"/> that any other receiver has seen (for --window).</summary>
    public long SlowestReceiverOf(int sender)
    {
        long min = long.MaxValue;
        int c = Options.Clients;
        for (int r = 0; r < c; r++)
            if (r != sender)
                min = Math.Min(min, Volatile.Read(ref Progress[(long)r * c + sender]));
        return min == long.MaxValue ? 0 : min;
    }
}
