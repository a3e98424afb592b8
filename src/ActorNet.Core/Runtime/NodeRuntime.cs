using System.Collections.Concurrent;
using System.Net;
using Akka.Actor;

using ActorNet.Faults;

namespace ActorNet.Runtime;

/// <summary>A listener as the status endpoint shows it.</summary>
/// <param name="Name">listener name</param>
/// <param name="Transport">tcp or udp</param>
/// <param name="Endpoint">the bound endpoint; null while it waits to re-bind</param>
public sealed record ListenerStatus(string Name, string Transport, EndPoint? Endpoint);

/// <summary>
/// The node's shared, thread-safe state outside its actors: open connections, outbound links, counters, active
/// toxics, listener bindings. One per ActorSystem (an Akka extension: <c>NodeRuntime.Get(system)</c>), never
/// static. Actors write it as things happen, so the read side of the control plane (status, connections, metrics)
/// needs no messages.
/// </summary>
public sealed class NodeRuntime : IExtension
{
    private readonly ConcurrentDictionary<string, ListenerStatus> _listeners = new(StringComparer.Ordinal);

    public NodeRuntime(NodeEvents events, TimeProvider? time = null)
    {
        Events = events;
        Time = time ?? TimeProvider.System;
        StartedAt = Time.GetUtcNow();
        Connections = new ConnectionRegistry(id => Toxics.RemoveConnection(id));
    }

    /// <summary>The runtime of <paramref name="system"/>, created on first use.</summary>
    public static NodeRuntime Get(ActorSystem system) => system.WithExtension<NodeRuntime, NodeRuntimeProvider>();

    public TimeProvider Time { get; }

    public DateTimeOffset StartedAt { get; }

    public TimeSpan Uptime => Time.GetUtcNow() - StartedAt;

    public ConnectionRegistry Connections { get; }

    /// <summary>The live event stream (GET /events).</summary>
    public NodeEvents Events { get; }

    public LinkRegistry Links { get; } = new();

    public NodeMetrics Metrics { get; } = new();

    public ToxicTable Toxics { get; } = new();

    /// <summary>The chaos run in progress (or the last one), written only by the ChaosMonkey. It is kept here rather
    /// than in the actor so that a crashed monkey, or fault injector, resumes the run where it was (same seed, same
    /// sequence, same recent kills) instead of silently ending it.</summary>
    internal Faults.ChaosRun? Chaos { get; set; }

    /// <summary>The fault settings in force (the config's, then a reload's), written by the FaultInjector; null
    /// until it first starts. A restarted injector takes them from here.</summary>
    internal Faults.FaultSettings? Faults { get; set; }

    /// <summary>Seed of the per-connection random numbers toxics draw (drop, jitter); set from config.</summary>
    public int ToxicSeed { get; set; } = 1;

    /// <summary>Where the admin endpoint listens once bound (null: none). Its pages (the web chat) are an allowed
    /// Origin of every WebSocket listener without an explicit allowed-origins.</summary>
    public System.Net.IPEndPoint? AdminEndpoint
    {
        get => Volatile.Read(ref _adminEndpoint);
        set => Volatile.Write(ref _adminEndpoint, value);
    }

    private System.Net.IPEndPoint? _adminEndpoint;

    /// <summary>Every configured listener, bound or waiting to re-bind, by name.</summary>
    public IReadOnlyList<ListenerStatus> Listeners => _listeners.Values.OrderBy(l => l.Name, StringComparer.Ordinal).ToList();

    internal void SetListener(ListenerStatus status) => _listeners[status.Name] = status;

    /// <summary>A reload removed the listener: it no longer appears in status.</summary>
    internal void RemoveListener(string name) => _listeners.TryRemove(name, out _);
}

/// <summary>Creates the <see cref="NodeRuntime"/> extension.</summary>
public sealed class NodeRuntimeProvider : ExtensionIdProvider<NodeRuntime>
{
    public override NodeRuntime CreateExtension(ExtendedActorSystem system) => new(NodeEvents.Get(system));
}
