using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace ActorNet.Transport;

/// <summary>
/// The node's default mailbox (config/actornet.reference.conf, <c>akka.actor.default-mailbox</c>): unbounded, like
/// Akka's <see cref="UnboundedMailbox"/>, but an empty queue costs ~100 bytes instead of ~1.1 KiB. Akka's queue is a
/// <c>ConcurrentQueue</c> whose first segment (32 slots, 792 B) exists from the start; every accepted connection has
/// three actors (Akka.IO's TcpConnection, the Connection, the handler), so 10,000 idle connections held ~33 MB of empty
/// mailbox segments. Measured in docs/bench-results/mem-2026-11-24.txt.
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
/// A lock-free multi-producer, single-consumer FIFO of envelopes: a linked list with one node per queued message
/// (D. Vyukov's MPSC queue, the design of Akka/JVM's default mailbox queue). An empty queue is one stub node; nothing
/// is pre-allocated, and producers never take a lock (a first version behind a lock spent ~12 % of a fan-out run's
/// samples waiting for it: a channel enqueueing to a connection while the connection dequeued on the other core).
/// </summary>
/// <remarks>A producer swaps itself in as the tail, then links the previous tail to it; until that link is written
/// the consumer sees the queue end one node early, which the mailbox tolerates: the producer schedules the mailbox
/// after its enqueue returns.</remarks>
public sealed class CompactMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private sealed class Node
    {
        public Envelope Value;
        public Node? Next;
    }

    private Node _head; // consumer side: the last node taken (or the stub)
    private Node _tail; // producer side: the newest node
    private int _count;

    public CompactMessageQueue()
    {
        _head = _tail = new Node();
    }

    /// <inheritdoc />
    public bool HasMessages => Volatile.Read(ref _count) > 0;

    /// <inheritdoc />
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        var node = new Node { Value = envelope };
        var previous = Interlocked.Exchange(ref _tail, node);
        Volatile.Write(ref previous.Next, node);
        Interlocked.Increment(ref _count);
    }

    /// <inheritdoc />
    public bool TryDequeue(out Envelope envelope)
    {
        var next = Volatile.Read(ref _head.Next);
        if (next is null)
        {
            envelope = default;
            return false;
        }

        envelope = next.Value;
        next.Value = default; // the node becomes the new stub: it must not keep the message alive
        _head = next;
        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <inheritdoc />
    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope))
            deadletters.Enqueue(owner, envelope);
    }
}
