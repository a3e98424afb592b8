using ActorNet.Chat.Core;
using Akka.Actor;
using Akka.IO;

namespace ActorNet.Chat.Server;

/// <summary>
/// Fan-out in batches: channel messages (PRIVMSG/NOTICE, local or from another node) that arrive together are
/// collected, and each member's connection is told ONE <see cref="Transport.Connection.SendBatch"/> with all of them
/// (minus its own) instead of one <see cref="Transport.Connection.Send"/> per message. The batch is one
/// <see cref="Framing.FrameBatch"/> per message variant (capabilities), shared by every member that gets that variant:
/// the connections frame it once and copy it as blocks, so a member's cost hardly grows with the batch. A batch ends when the
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
    private readonly Framing.FrameBatch?[] _variantBatches = new Framing.FrameBatch?[4];
    private readonly List<int> _skipScratch = new();

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
        or Cluster.ChannelEvent { Change: Cluster.ChannelMessage };

    /// <summary>Sends the batch: one message per member (a plain Send when the batch is one message), then
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
        Array.Clear(_variantBatches);
        foreach (var m in _members.Values)
        {
            _skipScratch.Clear();
            for (var i = 0; i < count; i++)
                if (ReferenceEquals(_batch[i].Except, m)) _skipScratch.Add(i);
            if (_skipScratch.Count == count) continue; // all of it is its own
            var frames = _variantBatches[m.VariantKey] ??= BuildBatch(m, count);
            var skip = _skipScratch.Count == 0 ? null : _skipScratch.ToArray();
            m.Ref.Connection.Tell(new Transport.Connection.SendBatch(frames, skip), ActorRefs.NoSender);
        }
    }

    /// <summary>The batch as the members with <paramref name="like"/>'s variant get it.</summary>
    private Framing.FrameBatch BuildBatch(Member like, int count)
    {
        var payloads = new ByteString[count];
        for (var i = 0; i < count; i++) payloads[i] = like.Variant(_batch[i].Message).Payload;
        return new Framing.FrameBatch(payloads);
    }
}
