using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace ActorNet.Transport;

/// <summary>
/// The node's default mailbox (config/actornet.reference.conf, <c>akka.actor.default-mailbox</c>): unbounded, like
/// Akka's <see cref="UnboundedMailbox"/>, but an empty queue holds no slots, because every connection has three
/// actors and most of them are idle. Measured: docs/BENCHMARKS.md, "Settings and why".
/// </summary>
public sealed class CompactMailbox : MailboxType, IProducesMessageQueue<CompactMessageQueue>
{
    /// <summary>Created by Akka from the mailbox config.</summary>
    public CompactMailbox(Settings settings, Akka.Configuration.Config config) : base(settings, config)
    {
    }

    /// <inheritdoc />
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CompactMessageQueue();
}

/// <summary>
/// A multi-producer, single-consumer FIFO of envelopes behind a lock: an array ring (<see cref="Queue{T}"/>) that starts
/// empty, grows by doubling and gives a large array back once drained, so an idle actor keeps no slots.
/// </summary>
public sealed class CompactMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    /// <summary>A drained queue whose array grew beyond this many slots drops it (a burst is not kept for life).</summary>
    internal const int RetainSlots = 64;

    private readonly Queue<Envelope> _queue = new();
    private int _count;

    /// <inheritdoc />
    public bool HasMessages => Volatile.Read(ref _count) > 0;

    /// <inheritdoc />
    public int Count => Volatile.Read(ref _count);

    /// <summary>Slots of the array held now; for tests.</summary>
    internal int Capacity
    {
        get
        {
            lock (_queue) return _queue.EnsureCapacity(0);
        }
    }

    /// <inheritdoc />
    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (_queue)
        {
            _queue.Enqueue(envelope);
            Volatile.Write(ref _count, _queue.Count);
        }
    }

    /// <inheritdoc />
    public bool TryDequeue(out Envelope envelope)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            envelope = default;
            return false;
        }

        lock (_queue)
        {
            if (!_queue.TryDequeue(out envelope)) return false;
            var left = _queue.Count;
            Volatile.Write(ref _count, left);
            if (left == 0 && _queue.EnsureCapacity(0) > RetainSlots) _queue.TrimExcess();
            return true;
        }
    }

    /// <inheritdoc />
    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope))
            deadletters.Enqueue(owner, envelope);
    }
}
