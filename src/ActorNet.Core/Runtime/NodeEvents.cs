using ActorNet.Transport;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorNet.Runtime;

/// <summary>
/// The node's live event stream: every <see cref="NodeEvent"/> goes into one <c>Source.ActorRef</c> whose buffer
/// drops the oldest event when full, into a <c>BroadcastHub</c> that every consumer (<c>GET /events</c>, the
/// dashboard, <c>actornet ctl events</c>, tests) attaches to with <see cref="Subscribe"/>. Nothing a consumer does
/// can slow the node: publishing is a Tell that never waits, and each subscription has its own bounded buffer that
/// fails (ending that consumer only) when the consumer stops reading.
/// <para>
/// Cost when nobody listens: publishing checks one volatile counter and returns, before any event is allocated
/// (connection open/close are on the 10k-connects path). The stream is materialized on the first subscription.
/// One per ActorSystem (an Akka extension), never static.
/// </para>
/// </summary>
public sealed class NodeEvents : IExtension
{
    private readonly ActorSystem _system;
    private readonly Lazy<(IActorRef Publisher, Source<NodeEvent, NotUsed> Hub)> _stream;
    private int _listeners;

    public NodeEvents(ActorSystem system, int bufferSize, int consumerBuffer)
    {
        _system = system;
        BufferSize = bufferSize;
        ConsumerBuffer = consumerBuffer;
        _stream = new Lazy<(IActorRef, Source<NodeEvent, NotUsed>)>(Materialize, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The events of <paramref name="system"/>, created on first use.</summary>
    public static NodeEvents Get(ActorSystem system) => system.WithExtension<NodeEvents, NodeEventsProvider>();

    /// <summary>actornet.events.buffer-size: events held for consumers (a power of two).</summary>
    public int BufferSize { get; }

    /// <summary>actornet.events.consumer-buffer: events one consumer may fall behind before it is dropped.</summary>
    public int ConsumerBuffer { get; }

    /// <summary>True while at least one consumer is attached: check it before building an event on a hot path.</summary>
    public bool HasListeners => Volatile.Read(ref _listeners) > 0;

    /// <summary>Consumers attached now.</summary>
    public int Listeners => Volatile.Read(ref _listeners);

    /// <summary>Publishes <paramref name="nodeEvent"/> to every consumer attached now (none: it is dropped).</summary>
    public void Publish(NodeEvent nodeEvent)
    {
        if (!HasListeners) return;
        _stream.Value.Publisher.Tell(nodeEvent, ActorRefs.NoSender);
    }

    /// <summary>A source of the events from the moment its materialized task completes. Each materialization is one
    /// consumer with its own buffer of <see cref="ConsumerBuffer"/> events; a consumer that falls further behind fails
    /// with a <see cref="BufferOverflowException"/> (dropped) while the others go on. A BroadcastHub registers a new
    /// consumer asynchronously, so the task completes once this consumer has seen a probe of its own go through the
    /// hub: from then on it misses nothing. Materialize each returned source once.</summary>
    public Source<NodeEvent, Task> Subscribe()
    {
        var probe = new SubscriptionProbe();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _stream.Value.Hub
            .Where(e =>
            {
                if (e is not SubscriptionProbe) return true;
                if (ReferenceEquals(e, probe)) ready.TrySetResult();
                return false; // probes are nobody's business
            })
            .Buffer(ConsumerBuffer, OverflowStrategy.Fail)
            .WatchTermination<NodeEvent, NotUsed, Task>((_, done) =>
            {
                Interlocked.Increment(ref _listeners);
                done.ContinueWith(_ => Interlocked.Decrement(ref _listeners), TaskScheduler.Default);
                Task.Run(() => ProbeUntilRegisteredAsync(probe, ready, done));
                return ready.Task;
            });
    }

    private async Task ProbeUntilRegisteredAsync(SubscriptionProbe probe, TaskCompletionSource ready, Task done)
    {
        while (!ready.Task.IsCompleted && !done.IsCompleted)
        {
            _stream.Value.Publisher.Tell(probe, ActorRefs.NoSender);
            await Task.WhenAny(ready.Task, done, Task.Delay(10)).ConfigureAwait(false);
        }

        if (done.IsCompleted) ready.TrySetCanceled();
    }

    /// <summary>Sent through the hub until the consumer that made it sees it (then it knows it is registered).</summary>
    private sealed record SubscriptionProbe() : NodeEvent(default(DateTimeOffset))
    {
        public override string Kind => "probe";
    }

    internal void ConnectionOpened(ConnectionInfo info)
    {
        if (HasListeners) Publish(new ConnectionOpened(DateTimeOffset.UtcNow, info.Id, info.Listener, info.Remote.ToString() ?? "?"));
    }

    internal void ConnectionClosed(ConnectionInfo info, DisconnectReason reason, string? detail)
    {
        if (HasListeners) Publish(new ConnectionClosed(DateTimeOffset.UtcNow, info.Id, info.Listener, reason.ToString(), detail));
    }

    private (IActorRef, Source<NodeEvent, NotUsed>) Materialize()
    {
        var materializer = _system.Materializer(namePrefix: "node-events");
        var (publisher, hub) = Source.ActorRef<NodeEvent>(BufferSize, OverflowStrategy.DropHead)
            .ToMaterialized(BroadcastHub.Sink<NodeEvent>(BufferSize), Keep.Both)
            .Run(materializer);
        // Keeps the hub draining while no consumer is attached, so events published then are dropped, not held.
        hub.RunWith(Sink.Ignore<NodeEvent>(), materializer);
        return (publisher, hub);
    }
}

/// <summary>Creates the <see cref="NodeEvents"/> extension from <c>actornet.events</c> (checked by the config loader).</summary>
public sealed class NodeEventsProvider : ExtensionIdProvider<NodeEvents>
{
    public override NodeEvents CreateExtension(ExtendedActorSystem system)
    {
        var config = system.Settings.Config;
        var buffer = config.GetInt("actornet.events.buffer-size", 256);
        var consumer = config.GetInt("actornet.events.consumer-buffer", 256);
        return new NodeEvents(system, buffer, consumer);
    }
}
