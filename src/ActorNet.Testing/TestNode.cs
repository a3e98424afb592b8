using System.Net;
using ActorNet.Admin;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.Handlers;
using ActorNet.Runtime;
using Akka.Actor;

namespace ActorNet.Testing;

/// <summary>
/// An ActorNet node running in this process, for tests: started from a HOCON string with every listener moved to an
/// ephemeral port (port 0), with clients that count what they send and receive, and the whole fault
/// toolbox (kills, toxics, chaos, tree) at hand through <see cref="Control"/>. Dispose it to stop the node.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly IActorRef _guardian;

    private TestNode(ActorSystem system, NodeSettings settings, IActorRef guardian, IReadOnlyDictionary<string, EndPoint> bound)
    {
        System = system;
        Settings = settings;
        _guardian = guardian;
        Endpoints = bound.ToDictionary(b => b.Key, b => (IPEndPoint)b.Value);
        Control = new NodeControl(system);
    }

    /// <summary>The node's ActorSystem.</summary>
    public ActorSystem System { get; }

    /// <summary>The settings it runs with (ports as configured, before binding).</summary>
    public NodeSettings Settings { get; }

    /// <summary>Bound endpoint of every listener, by name (the real ephemeral port).</summary>
    public IReadOnlyDictionary<string, IPEndPoint> Endpoints { get; }

    /// <summary>Kills, toxics, chaos and the live tree.</summary>
    public NodeControl Control { get; }

    /// <summary>Open connections, counters, links.</summary>
    public NodeRuntime Runtime => Control.Runtime;

    /// <summary>Starts a node from <paramref name="hocon"/> (an <c>actornet { }</c> config; the reference defaults
    /// apply). Every listener binds port 0 unless <paramref name="keepPorts"/>. Throws with every config error.</summary>
    public static async Task<TestNode> StartAsync(string hocon, bool keepPorts = false, HandlerCatalog? catalog = null, TimeSpan? timeout = null)
    {
        var (config, sourceErrors) = ConfigSource.Parse(hocon);
        if (config is null) throw new ArgumentException("invalid HOCON: " + string.Join("; ", sourceErrors), nameof(hocon));
        var loaded = NodeSettingsLoader.Load(config);
        if (!loaded.Ok) throw new ArgumentException("invalid config: " + string.Join("; ", loaded.Errors), nameof(hocon));
        var settings = loaded.Settings!;
        if (!keepPorts) settings = settings with { Listeners = settings.Listeners.Select(l => l with { Port = 0 }).ToList() };

        var akka = Akka.Configuration.ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            akka.log-dead-letters-during-shutdown = off
            """).WithFallback(settings.Config);
        var system = ActorSystem.Create(SystemName(settings.NodeName), akka);
        try
        {
            var guardian = ActorNetNode.Start(system, settings, catalog);
            var bound = await ActorNetNode.WaitForBindingsAsync(guardian, settings, timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            return new TestNode(system, settings, guardian, bound);
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The bound endpoint of <paramref name="listener"/>.</summary>
    public IPEndPoint Endpoint(string listener) =>
        Endpoints.TryGetValue(listener, out var endpoint) ? endpoint : throw new ArgumentException($"no listener named '{listener}'", nameof(listener));

    /// <summary>Connects a counting line client named <paramref name="name"/> to <paramref name="listener"/>.</summary>
    public Task<CountingClient> ConnectAsync(string listener, string? name = null) =>
        CountingClient.ConnectAsync(Endpoint(listener), name ?? "client-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Connects a counting UDP client to <paramref name="listener"/>.</summary>
    public UdpCountingClient ConnectUdp(string listener, string? name = null) =>
        new(Endpoint(listener), name ?? "udp-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The node's connection id for <paramref name="client"/> (waits until the node registered it).</summary>
    public async Task<long> ConnectionIdOfAsync(CountingClient client, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var entry in Runtime.Connections.Snapshot())
                if (entry.Info.Remote is IPEndPoint remote && remote.Equals(client.LocalEndpoint))
                    return entry.Info.Id;
            await Task.Delay(10).ConfigureAwait(false);
        }

        throw new TimeoutException($"the node has no connection from {client.LocalEndpoint}");
    }

    /// <summary>Kills the connection of <paramref name="client"/> (close, reset or crash).</summary>
    public async Task<AdminResult> KillAsync(CountingClient client, KillMode mode) =>
        await Control.KillConnectionAsync(await ConnectionIdOfAsync(client).ConfigureAwait(false), mode).ConfigureAwait(false);

    /// <summary>Adds a toxic given as HOCON-style fields (type, listener or connection, direction, …).</summary>
    public async Task<AdminResult> AddToxicAsync(string name, IReadOnlyDictionary<string, string> fields)
    {
        var values = new Dictionary<string, string>(fields, StringComparer.Ordinal) { ["name"] = name };
        var toxic = ToxicParser.Parse(values, out var errors) ?? throw new ArgumentException(string.Join("; ", errors), nameof(fields));
        return await Control.AddToxicAsync(toxic).ConfigureAwait(false);
    }

    /// <summary>Number of actors under /user/actornet now.</summary>
    public async Task<int> TreeSizeAsync() => (await Control.TreeAsync().ConfigureAwait(false)).Count;

    /// <summary>Waits until the tree is back to <paramref name="size"/> actors (no leaked connection or handler).</summary>
    public async Task<bool> WaitForTreeSizeAsync(int size, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await TreeSizeAsync().ConfigureAwait(false) == size) return true;
            await Task.Delay(50).ConfigureAwait(false);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ActorNetNode.StopAsync(_guardian, Settings.Shutdown.StopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // the system terminates below anyway; connections still open are reset with it
        }
        await System.Terminate().ConfigureAwait(false);
    }

    private static string SystemName(string node) =>
        new(node.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
}
