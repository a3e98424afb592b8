using ActorNet.Admin;
using Akka.Configuration;

namespace ActorNet.Config;

/// <summary>The whole node, parsed once from the <c>actornet { }</c> HOCON root (see config/actornet.reference.conf).</summary>
/// <param name="NodeName">actornet.node.name</param>
/// <param name="Listeners">actornet.listeners.*, in file order</param>
/// <param name="Supervision">actornet.supervision</param>
/// <param name="Logging">actornet.logging</param>
/// <param name="Config">the full merged configuration (actornet + akka) the node was loaded from</param>
/// <param name="Admin">actornet.admin (null = defaults: disabled)</param>
/// <param name="Faults">actornet.faults (null = defaults: no toxics, chaos off)</param>
public sealed record NodeSettings(
    string NodeName,
    IReadOnlyList<ListenerSettings> Listeners,
    SupervisionSettings Supervision,
    LoggingSettings Logging,
    Akka.Configuration.Config Config,
    ActorNet.Admin.AdminSettings? Admin = null,
    ActorNet.Faults.FaultSettings? Faults = null)
{
    /// <summary><see cref="Admin"/> or the defaults.</summary>
    public ActorNet.Admin.AdminSettings AdminOrDefault => Admin ?? ActorNet.Admin.AdminSettings.Default;

    /// <summary><see cref="Faults"/> or the defaults.</summary>
    public ActorNet.Faults.FaultSettings FaultsOrDefault => Faults ?? ActorNet.Faults.FaultSettings.Default;

    /// <summary>actornet.plugins.directory: the folder handler assemblies the node does not reference are loaded
    /// from (absolute); null = none.</summary>
    public string? PluginsDirectory { get; init; }

    /// <summary>actornet.shutdown: how a graceful stop drains.</summary>
    public ShutdownSettings Shutdown { get; init; } = ShutdownSettings.Default;

    /// <summary>actornet.cluster (disabled unless configured).</summary>
    public ClusterSettings Cluster { get; init; } = ClusterSettings.Disabled;

    /// <summary>The ActorSystem name: the cluster's shared name when clustered (Akka addresses include it), else the node name.</summary>
    public string SystemName => Cluster.Enabled ? Cluster.Name : NodeName;
}

/// <summary><c>actornet.shutdown</c>.</summary>
/// <param name="DrainTimeout">how long a graceful stop lets connections flush what is queued before the listeners
/// unbind regardless; CoordinatedShutdown's service-unbind phase is given this plus <see cref="UnbindMargin"/></param>
public sealed record ShutdownSettings(TimeSpan DrainTimeout)
{
    /// <summary>Time on top of the drain for the listeners to unbind and report it.</summary>
    public static readonly TimeSpan UnbindMargin = TimeSpan.FromSeconds(2);

    public static ShutdownSettings Default { get; } = new(TimeSpan.FromSeconds(5));

    /// <summary>What <see cref="ActorNetNode.StopAsync"/> waits: drain, then unbind.</summary>
    public TimeSpan StopTimeout => DrainTimeout + UnbindMargin;

    /// <summary>CoordinatedShutdown's service-unbind phase: the stop plus a second, so the stop ends first.</summary>
    public TimeSpan PhaseTimeout => StopTimeout + TimeSpan.FromSeconds(1);
}

/// <summary>A listener's transport. WebSocket = TCP connections speaking RFC 6455 (each message is one frame).</summary>
public enum TransportKind { Tcp, Udp, WebSocket }

public enum FramingKind { Line, LengthPrefixed, Raw }

public enum LineEnding { Lf, CrLf }

/// <summary>Where a broadcast listener's frames go: this node's clients, or the same listener's clients on every cluster member.</summary>
public enum BroadcastScope { Node, Cluster }

/// <summary>One entry of <c>actornet.listeners</c>.</summary>
/// <param name="Name">the key under actornet.listeners (also the actor name)</param>
/// <param name="Handler">built-in name (echo, broadcast, forward, udp-relay) or an assembly-qualified type name</param>
/// <param name="IdleTimeout">TimeSpan.Zero = no idle timeout</param>
/// <param name="MaxConnectionsPerIp">0 = unlimited</param>
/// <param name="Upstream">forward handler only: "host:port" parsed</param>
/// <param name="PeerTtl">udp-relay: how long a sender stays a relay peer after its last datagram</param>
/// <param name="Options">the listener's <c>options { }</c> block, free-form keys for custom handlers (empty if absent)</param>
/// <param name="Path">HOCON path of this listener, e.g. actornet.listeners.echo (for error messages)</param>
public sealed record ListenerSettings(
    string Name,
    TransportKind Transport,
    string Host,
    int Port,
    string Handler,
    FramingKind Framing,
    LineEnding LineEnding,
    int MaxFrameBytes,
    int MaxConnections,
    int MaxConnectionsPerIp,
    TimeSpan IdleTimeout,
    long WriteQueueLimitBytes,
    HostPort? Upstream,
    TimeSpan ConnectTimeout,
    TimeSpan PeerTtl,
    Akka.Configuration.Config Options,
    string Path)
{
    /// <summary>How long a graceful close may take to flush what is queued (and, for WebSocket, to exchange close
    /// frames) before the socket is reset.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most client input (payload bytes plus 64 per frame) handed to the handler and not yet processed; the
    /// connection stops reading the socket beyond it and resumes at half (<c>input-credit-bytes</c>).</summary>
    public long InputCreditBytes { get; init; } = 256 * 1024;

    /// <summary>tcp/websocket: Akka.IO's per-connection buffer for this listener (<c>io-buffer-bytes</c>): the most one
    /// socket read returns, rented for the connection's life; 0 in the config = by handler: 64 KiB for forward
    /// (<see cref="ListenerSection.ForwardIoBufferBytes"/>), else 0 here = the node's <c>akka.io.tcp.maximum-frame-size</c>.
    /// Carried by the listener's Tcp.Bind (Akka.IO 1.5.75 <c>Tcp.Bind.TcpSettings</c>).</summary>
    public int IoBufferBytes { get; init; }

    /// <summary>The write queue's soft limit: above it the connection pauses its input and tells its handler OutputBusy
    /// (<c>write-queue-soft-limit-bytes</c>); <see cref="WriteQueueLimitBytes"/> is the hard one that cuts.</summary>
    public long WriteQueueSoftLimitBytes { get; init; } = 256 * 1024;

    /// <summary>broadcast only: <c>scope = node | cluster</c>.</summary>
    public BroadcastScope Scope { get; init; } = BroadcastScope.Node;

    /// <summary>websocket only: the request path the handshake must name (<c>path</c>, default "/").</summary>
    public string WebSocketPath { get; init; } = "/";

    /// <summary><c>tls { }</c>: the listener speaks TLS (null = plain). See <see cref="ActorNet.Transport.Tls.TlsLayer"/>.</summary>
    public ActorNet.Transport.Tls.TlsSettings? Tls { get; init; }

    /// <summary>forward only, <c>upstream-tls { }</c>: connect to the upstream over TLS (null = plain).</summary>
    public ActorNet.Transport.Tls.UpstreamTlsSettings? UpstreamTls { get; init; }

    /// <summary>udp-relay only: proof of address and per-source rate limits.</summary>
    public UdpRelayLimits UdpRelay { get; init; } = UdpRelayLimits.Default;

    /// <summary>websocket only: <c>allowed-origins</c>; null (the default) = the pages the node serves itself
    /// (<see cref="ActorNet.Framing.OriginPolicy.SelfServed"/>: this listener's address and the admin endpoint).</summary>
    public ActorNet.Framing.OriginPolicy? AllowedOrigins { get; init; }

    /// <summary>A connection-oriented transport (tcp or websocket): stream handlers, Connection actors.</summary>
    public bool IsStream => Transport != TransportKind.Udp;

    /// <summary>The node's whole configuration, for handlers with a section of their own (e.g. <c>actornet.chat</c>).</summary>
    public Akka.Configuration.Config NodeConfig { get; init; } = Akka.Configuration.Config.Empty;

    public string BindDisplay => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>udp-relay's defences against amplification (README: UDP relay).</summary>
/// <param name="RequireHello">relay only among senders that echoed their address cookie</param>
/// <param name="PacketsPerSecond">datagrams per second one peer may have relayed (burst: one second's worth)</param>
/// <param name="BytesPerSecond">bytes per second one peer may have relayed</param>
/// <param name="HelloRate">cookie answers per second for the whole listener (what spoofed sources can make it send)</param>
public sealed record UdpRelayLimits(bool RequireHello, int PacketsPerSecond, long BytesPerSecond, int HelloRate)
{
    public static UdpRelayLimits Default { get; } = new(true, 500, 512 * 1024, 1000);
}

public sealed record HostPort(string Host, int Port)
{
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary><c>actornet.supervision</c></summary>
public sealed record SupervisionSettings(
    int HandlerMaxRestarts,
    TimeSpan HandlerRestartWindow,
    TimeSpan BindBackoffMin,
    TimeSpan BindBackoffMax);

public enum LogLevelSetting { Verbose, Debug, Information, Warning, Error, Fatal }

/// <summary><c>actornet.logging</c>. File = null: no file sink. Json: the file sink writes compact JSON (CLEF).</summary>
public sealed record LoggingSettings(LogLevelSetting Level, bool Console, string? File, bool Json);

/// <summary>One configuration problem: the HOCON path and what is wrong with it.</summary>
public sealed record ConfigError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}
