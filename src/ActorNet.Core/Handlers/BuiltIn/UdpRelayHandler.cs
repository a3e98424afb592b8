using System.Net;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.Runtime;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Handlers.BuiltIn;

/// <summary>
/// <c>handler = udp-relay</c>: every datagram of a peer goes to every other peer seen within <c>peer-ttl</c>. A sender
/// becomes a peer only after proving its address (<see cref="UdpAddressProof"/>: it echoes the COOKIE the node sent
/// it), so a spoofed datagram is never relayed; each peer is rate-limited (datagrams and bytes per second). The peer
/// table is bounded by the listener's max-connections; expired peers are pruned periodically. Drops are counted in
/// the metrics and logged at info at most once per <see cref="DropLogEvery"/>.
/// </summary>
public sealed class UdpRelayHandler : DatagramHandler, IWithTimers
{
    private static readonly TimeSpan DropLogEvery = TimeSpan.FromSeconds(10);

    private sealed record Prune
    {
        public static readonly Prune Instance = new();
    }

    private sealed class Peer(long now, UdpRelayLimits limits)
    {
        public long LastSeen = now;
        public readonly TokenBucket Packets = new(limits.PacketsPerSecond, now);
        public readonly TokenBucket Bytes = new(limits.BytesPerSecond, now);
    }

    private readonly Dictionary<EndPoint, Peer> _peers = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ListenerMetrics _metrics;
    private readonly UdpRelayLimits _limits;
    private readonly UdpAddressProof _proof = new();
    private readonly TokenBucket _cookies;
    private readonly long _ttlMs;
    private long _unverifiedSinceLog, _rateLimitedSinceLog, _fullSinceLog, _lastDropLog = long.MinValue;

    public UdpRelayHandler(DatagramContext context) : base(context)
    {
        _ttlMs = (long)context.Listener.PeerTtl.TotalMilliseconds;
        _limits = context.Listener.UdpRelay;
        _cookies = new TokenBucket(_limits.HelloRate, Environment.TickCount64);
        _metrics = NodeRuntime.Get(Context.System).Metrics.For(context.Listener.Name);
        Receive<DatagramReceived>(OnDatagram);
        Receive<Prune>(_ =>
        {
            PruneExpired(Environment.TickCount64);
            LogDrops(Environment.TickCount64);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        var every = TimeSpan.FromMilliseconds(Math.Max(_ttlMs / 2, 50));
        Timers.StartPeriodicTimer(Prune.Instance, Prune.Instance, every);
    }

    private void OnDatagram(DatagramReceived datagram)
    {
        var now = Environment.TickCount64;
        if (!_peers.TryGetValue(datagram.Sender, out var peer) || now - peer.LastSeen > _ttlMs)
        {
            if (peer is not null) _peers.Remove(datagram.Sender);
            peer = _limits.RequireHello ? Hello(datagram, now) : Admit(datagram.Sender, now);
            if (peer is null || _limits.RequireHello) return; // the hello itself is not relayed
        }

        peer.LastSeen = now;
        if (!peer.Packets.TryTake(1, now) || !peer.Bytes.TryTake(datagram.Data.Count, now))
        {
            _metrics.UdpRateLimitDropped();
            _rateLimitedSinceLog++;
            LogDrops(now);
            return;
        }

        foreach (var (address, other) in _peers)
            if (now - other.LastSeen <= _ttlMs && !address.Equals(datagram.Sender))
                SendTo(datagram.Data, address);
    }

    /// <summary>A datagram of a sender that is not a peer: its echoed cookie makes it one (WELCOME), anything else gets
    /// the cookie (within the listener's hello-rate). Nothing is kept for it until it proves its address.</summary>
    private Peer? Hello(DatagramReceived datagram, long now)
    {
        if (datagram.Data.Count <= 32 && _proof.Verifies(datagram.Data.ToArray(), datagram.Sender, now))
        {
            var peer = Admit(datagram.Sender, now);
            if (peer is not null) SendTo(ByteString.FromBytes(UdpAddressProof.Welcome), datagram.Sender);
            return peer;
        }

        _metrics.UdpUnverifiedDropped();
        _unverifiedSinceLog++;
        // one short answer per datagram at most, and no more than hello-rate a second in all: a spoofer can make the
        // relay send its victim only this, never a relayed datagram
        if (_cookies.TryTake(1, now))
        {
            SendTo(ByteString.FromBytes(_proof.Challenge(datagram.Sender, now)), datagram.Sender);
            _metrics.UdpCookieSent();
        }

        LogDrops(now);
        return null;
    }

    private Peer? Admit(EndPoint sender, long now)
    {
        if (_peers.Count >= Handler.Listener.MaxConnections) PruneExpired(now);
        if (_peers.Count >= Handler.Listener.MaxConnections)
        {
            _fullSinceLog++;
            _metrics.UdpUnverifiedDropped();
            LogDrops(now);
            return null;
        }

        var peer = new Peer(now, _limits);
        _peers[sender] = peer;
        return peer;
    }

    private void LogDrops(long now)
    {
        if (_unverifiedSinceLog + _rateLimitedSinceLog + _fullSinceLog == 0) return;
        if (_lastDropLog != long.MinValue && now - _lastDropLog < (long)DropLogEvery.TotalMilliseconds) return;
        _log.Info("udp-relay {Listener}: not relayed since the last report: {Unverified} datagram(s) of senders without proof of address, {RateLimited} over the per-source rate ({Packets}/s, {Bytes} B/s), {Full} of new peers while the table was full ({MaxPeers})",
            new object[] { Handler.Listener.Name, _unverifiedSinceLog, _rateLimitedSinceLog, _limits.PacketsPerSecond, _limits.BytesPerSecond, _fullSinceLog, Handler.Listener.MaxConnections });
        _lastDropLog = now;
        _unverifiedSinceLog = _rateLimitedSinceLog = _fullSinceLog = 0;
    }

    private void PruneExpired(long now)
    {
        List<EndPoint>? expired = null;
        foreach (var (address, peer) in _peers)
            if (now - peer.LastSeen > _ttlMs) (expired ??= new()).Add(address);
        if (expired is null) return;
        foreach (var address in expired) _peers.Remove(address);
    }
}
