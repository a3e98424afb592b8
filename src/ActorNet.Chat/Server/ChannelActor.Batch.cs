using ActorNet.Chat.Core;
using Akka.Actor;
using Akka.IO;

namespace ActorNet.Chat.Server;

/// <summary>
/// Fan-out in batches: channel messages (PRIVMSG/NOTICE, local or from another node) that arrive together are
/// collected, and each member's connection is told ONE <see cref="Transport.Connection.SendMany"/> with all of them
/// (minus its own) instead of one <see cref="Transport.Connection.Send"/> per message. A batch ends when the
/// <see cref="FlushBatch"/> the first message scheduled comes round in the mailbox, i.e. it holds what was already
/// queued, never waits for more; anything else the channel handles flushes the batch first, so every member sees
/// the channel's messages and events in the order the channel handled them. A batched message's sender is told
/// <see cref="Completed"/> only after the flush, so whatever it sends next cannot overtake the message (or its echo).
/// </summary>
public sealed partial class ChannelActor
{
    /// <summary>Sent to self when a batch starts; flushes it once the messages queued before it are handled.</summary>
    private sealed record FlushBatch
    {
        public static readonly FlushBatch Instance = new();
    }

    private readonly List<(Outgoing Message, Member? Except)> _batch = new();
    private readonly List<IActorRef> _completeAfterFlush = new();

    /// <summary>Adds one message for every member but <paramref name="except"/> (its sender, unless echo-message).</summary>
    private void BroadcastBatched(Outgoing message, IActorRef? except)
    {
        if (_batch.Count == 0) Self.Tell(FlushBatch.Instance);
        _batch.Add((message, MemberOrNull(except)));
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        if (_batch.Count > 0 && !Batchable(message)) FlushPending();
        return message is FlushBatch || base.AroundReceive(receive, message);
    }

    private static bool Batchable(object message) => message is ToChannel { Origin.Request: MessageRequest }
        or Cluster.ChannelEvent { Kind: "PRIVMSG" or "NOTICE" };

    /// <summary>Sends the batch: one message per member (a plain Send when it holds one frame for that member), then
    /// completes the senders' requests.</summary>
    private void FlushPending()
    {
        var count = _batch.Count;
        if (count == 0) return;
        if (count == 1) BroadcastSkipping(_batch[0].Message, _batch[0].Except);
        else SendBatch(count);
        _batch.Clear();
        foreach (var session in _completeAfterFlush) session.Tell(Completed.Instance);
        _completeAfterFlush.Clear();
    }

    private void SendBatch(int count)
    {

        foreach (var m in _members.Values)
        {
            var n = 0;
            foreach (var (_, except) in _batch)
                if (!ReferenceEquals(m, except)) n++;
            if (n == 0) continue;
            var frames = new ByteString[n];
            var i = 0;
            foreach (var (message, except) in _batch)
                if (!ReferenceEquals(m, except)) frames[i++] = m.Variant(message).Payload;
            object send = n == 1 ? new Transport.Connection.Send(frames[0]) : new Transport.Connection.SendMany(frames);
            m.Ref.Connection.Tell(send, ActorRefs.NoSender);
        }
    }
}
