using System.Net;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Handlers.BuiltIn;

/// <summary>
/// <c>handler = udp-relay</c>: every datagram goes to every other sender seen within <c>peer-ttl</c>. The peer table
/// is bounded by the listener's max-connections; expired peers are pruned periodically.
/// </summary>
public sealed class UdpRelayHandler : DatagramHandler, IWithTimers
{
    private sealed record Prune
    {
        public static readonly Prune Instance = new();
    }

    private readonly Dictionary<EndPoint, long> _lastSeen = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly long _ttlMs;
    private bool _warnedFull;

    public UdpRelayHandler(DatagramContext context) : base(context)
    {
        _ttlMs = (long)context.Listener.PeerTtl.TotalMilliseconds;
        Receive<DatagramReceived>(OnDatagram);
        Receive<Prune>(_ => PruneExpired(Environment.TickCount64));
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
        foreach (var (peer, seen) in _lastSeen)
            if (now - seen <= _ttlMs && !peer.Equals(datagram.Sender))
                SendTo(datagram.Data, peer);

        if (_lastSeen.ContainsKey(datagram.Sender) || _lastSeen.Count < Handler.Listener.MaxConnections)
        {
            _lastSeen[datagram.Sender] = now;
            return;
        }

        PruneExpired(now);
        if (_lastSeen.Count < Handler.Listener.MaxConnections)
            _lastSeen[datagram.Sender] = now;
        else if (!_warnedFull)
        {
            _warnedFull = true;
            _log.Warning("udp-relay {Listener}: peer table full ({MaxPeers}); new senders are relayed but not remembered",
                Handler.Listener.Name, Handler.Listener.MaxConnections);
        }
    }

    private void PruneExpired(long now)
    {
        List<EndPoint>? expired = null;
        foreach (var (peer, seen) in _lastSeen)
            if (now - seen > _ttlMs) (expired ??= new()).Add(peer);
        if (expired is null) return;
        foreach (var peer in expired) _lastSeen.Remove(peer);
        _warnedFull = false;
    }
}
