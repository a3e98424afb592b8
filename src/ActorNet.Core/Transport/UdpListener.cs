using System.Net;
using ActorNet.Handlers;
using ActorNet.Runtime;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using ActorNet.Faults;
using ActorNet.Supervision;

namespace ActorNet.Transport;

/// <summary>
/// One UDP socket (Akka.IO Udp.Bind). UDP has no connections: every datagram goes to the listener's single handler
/// child, which answers with <see cref="SendDatagram"/>. Datagrams over max-frame-bytes are dropped. A handler that
/// exhausts its restart budget fails the listener, which its supervisor re-creates after a backoff.
/// </summary>
public sealed class UdpListener : ReceiveActor
{
    /// <summary>Send one datagram from this listener's socket.</summary>
    public sealed record SendDatagram(ByteString Data, EndPoint Target);

    private readonly ListenerSetup _setup;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IDatagramHandlerFactory _factory;
    private IActorRef? _handler;
    private long _dropped;
    private readonly NodeRuntime _runtime = NodeRuntime.Get(Context.System);
    private readonly ListenerMetrics _metrics;
    private Random? _random;

    public UdpListener(ListenerSetup setup)
    {
        _setup = setup;
        _factory = setup.Handler.Datagram ?? throw new ArgumentException("a UDP listener needs a datagram handler", nameof(setup));
        _metrics = _runtime.Metrics.For(setup.Settings.Name);
        Binding();
    }

    private string Name => _setup.Settings.Name;

    protected override void PreStart() =>
        Context.System.Udp().Tell(new Udp.Bind(Self, _setup.BindEndpoint, []));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        _setup.Supervision.HandlerMaxRestarts,
        (int)_setup.Supervision.HandlerRestartWindow.TotalMilliseconds,
        ex =>
        {
            _log.Warning(ex, "handler of listener {Listener} failed: {Error}", Name, ex.Message);
            return Directive.Restart;
        },
        loggingEnabled: false);

    /// <summary>Drop and timeout toxics on the listener act on datagrams (true = drop this one).</summary>
    private bool Toxic(ToxicDirection direction)
    {
        if (_runtime.Toxics.All.Count == 0) return false;
        foreach (var toxic in _runtime.Toxics.For(Name, null, direction))
        {
            _random ??= new Random(_runtime.ToxicSeed);
            if (toxic.Kind == ToxicKind.Timeout || (toxic.Kind == ToxicKind.Drop && _random.NextDouble() < toxic.Probability))
            {
                _metrics.ToxicDropped();
                return true;
            }
        }

        return false;
    }

    private void Binding()
    {
        Receive<Udp.Bound>(bound =>
        {
            var socket = Sender;
            _log.Info("listener {Listener} bound {Transport} {Endpoint}", Name, "udp", bound.LocalAddress);
            _handler = Context.ActorOf(_factory.CreateHandler(new DatagramContext(_setup.Settings, Self, bound.LocalAddress, _setup.Services)), "handler");
            Context.Watch(_handler);
            Context.Parent.Tell(new ListenerSupervisor.ListenerBound(Name, "udp", bound.LocalAddress));
            Become(() => Bound(socket));
        });
        Receive<Udp.CommandFailed>(failed =>
            throw new BindFailedException(Name, _setup.BindEndpoint, "address in use or unavailable"));
        Receive<ListenerCommands.Unbind>(_ =>
        {
            Sender.Tell(new ListenerCommands.Unbound(Name));
            Context.Stop(Self);
        });
    }

    private void Bound(IActorRef socket)
    {
        Receive<ListenerCommands.Crash>(c => throw new ListenerResetException($"listener {Name} killed: {c.Detail}", Name));
        Receive<Udp.Received>(received =>
        {
            _metrics.FrameIn(received.Data.Count);
            if (received.Data.Count > _setup.Settings.MaxFrameBytes)
            {
                if (_dropped++ % 1000 == 0)
                    _log.Warning("listener {Listener} dropped a {Bytes}-byte datagram from {Remote} (max-frame-bytes {MaxFrameBytes}); {Dropped} dropped so far",
                        Name, received.Data.Count, received.Sender, _setup.Settings.MaxFrameBytes, _dropped);
                return;
            }

            if (Toxic(ToxicDirection.Upstream)) return;
            _handler?.Tell(new DatagramHandler.DatagramReceived(received.Data, received.Sender));
        });
        Receive<SendDatagram>(send =>
        {
            if (Toxic(ToxicDirection.Downstream)) return;
            _metrics.FrameOut();
            _metrics.AddBytesOut(send.Data.Count);
            socket.Tell(Udp.Send.Create(send.Data, send.Target));
        });
        Receive<Udp.CommandFailed>(failed =>
            _log.Debug("listener {Listener}: {Command} failed", Name, failed.Cmd.GetType().Name));
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_handler))
                throw new ListenerResetException($"handler of UDP listener {Name} stopped (restart budget exhausted)", Name);
        });
        Receive<ListenerCommands.Unbind>(_ =>
        {
            var requester = Sender;
            socket.Tell(Udp.Unbind.Instance);
            Become(() =>
            {
                Receive<Udp.Unbound>(_ =>
                {
                    _log.Info("listener {Listener} unbound", Name);
                    requester.Tell(new ListenerCommands.Unbound(Name));
                    Context.Stop(Self);
                });
                ReceiveAny(_ => { });
            });
        });
    }
}
