using System.Net;
using ActorNet.Handlers;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using ActorNet.Runtime;
using ActorNet.Supervision;

namespace ActorNet.Transport;

/// <summary>
/// One TCP listening socket (Akka.IO Tcp.Bind), for transport tcp or websocket. Each accepted socket becomes a
/// <see cref="Connection"/> child named c-&lt;id&gt; (which speaks RFC 6455 on a websocket listener). Enforces max-connections and max-connections-per-ip. States: Binding → Bound → Draining (connections close) → Unbinding.
/// A failed bind throws <see cref="BindFailedException"/> and `kill-listener` <see cref="ActorNet.Faults.ListenerResetException"/>:
/// the supervisor stops this actor (releasing the port, closing its connections) and re-creates it after a backoff.
/// Any other failure (a crash by path, a bug) resumes it: its bound socket and connection table are still true, and
/// a restart would restart every connection below it (Akka restarts a restarted parent's children).
/// </summary>
public sealed class TcpListener : ReceiveActor
{
    private ListenerSetup _setup; // a reload may replace it (ListenerCommands.UpdateSetup): new connections use the new one
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, IPAddress> _connections = new();
    private readonly Dictionary<IPAddress, int> _perIp = new();
    private IHandlerFactory _handler;

    public TcpListener(ListenerSetup setup)
    {
        _setup = setup;
        _handler = setup.Handler.Stream ?? throw new ArgumentException("a TCP listener needs a stream handler", nameof(setup));
        Binding();
    }

    private string Name => _setup.Settings.Name;

    private string TransportName => _setup.Settings.Transport.ToString().ToLowerInvariant();

    protected override void PreStart()
    {
        // Pull mode: an accepted connection reads only when its Connection asks (Tcp.ResumeReading), which is how
        // read-side backpressure reaches the kernel's socket buffer and TCP's window (Connection.RequestRead).
        var bind = new Tcp.Bind(Self, _setup.BindEndpoint, backlog: Context.System.Settings.Config.GetInt("actornet.transport.accept-backlog", 1024), options: [], pullMode: true);
        // io-buffer-bytes: this listener's connections rent a receive buffer of their own size instead of the node's
        // maximum-frame-size (the Bind carries its own TcpSettings; the connections it accepts use them)
        if (_setup.Settings.IoBufferBytes > 0)
            bind.TcpSettings = Context.System.WithExtension<TcpExt, Tcp>().Settings with { MaxFrameSizeBytes = _setup.Settings.IoBufferBytes };
        Context.System.Tcp().Tell(bind);
    }

    /// <summary>A connection actor is the socket's one owner (its framing, write queue, credit and toxics cannot be
    /// rebuilt), so one that fails is stopped, which closes that one socket; its handler is what restarts in place
    /// (Connection's own strategy). Crash a handler to test protocol code without dropping the client.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new ObservedStrategy(NodeEvents.Get(Context.System), Decider.From(ex =>
    {
        _log.Warning(ex is ActorNet.Faults.InjectedFaultException ? null : ex,
            "a connection of listener {Listener} failed ({Error}): it is closed, not restarted (its buffers cannot be rebuilt; handlers restart in place)", Name, ex.Message);
        return Directive.Stop;
    }), logging: false);

    private void Binding()
    {
        Receive<Tcp.Bound>(bound =>
        {
            _log.Info("listener {Listener} bound {Transport} {Endpoint}", Name, TransportName, bound.LocalAddress);
            if (_setup.Settings.Tls is { } tls)
                _log.Info("listener {Listener} speaks TLS with {Certificate} ({Subject}, valid until {NotAfter:yyyy-MM-dd}){DevCa}", Name, tls.CertificatePath,
                    tls.Certificate.Subject, tls.Certificate.NotAfter.ToUniversalTime(), tls.DevCa is { } ca ? "; development certificate: clients trust " + ca : "");
            if (_setup.Settings.AllowedOrigins is { AllowAll: true })
                _log.Warning("listener {Listener}: allowed-origins = [\"*\"]: ANY web page the user opens can connect to {Endpoint} and act as them (cross-site WebSocket hijacking); list the pages that may connect instead",
                    Name, bound.LocalAddress);
            Context.Parent.Tell(new ListenerSupervisor.ListenerBound(Name, TransportName, bound.LocalAddress));
            var socketListener = Sender;
            Become(() => Bound(socketListener));
        });
        Receive<ListenerCommands.UpdateSetup>(Update);
        Receive<Tcp.CommandFailed>(failed =>
            throw new BindFailedException(Name, _setup.BindEndpoint, failed.CauseString));
        Receive<ListenerCommands.Unbind>(_ =>
        {
            Sender.Tell(new ListenerCommands.Unbound(Name));
            Context.Stop(Self);
        });
    }

    private void Bound(IActorRef socketListener)
    {
        Receive<Tcp.Connected>(Accept);
        Receive<ListenerCommands.UpdateSetup>(Update);
        Receive<Terminated>(t => Forget(t.ActorRef));
        Receive<ListenerCommands.Crash>(c => throw new ActorNet.Faults.ListenerResetException($"listener {Name} killed: {c.Detail}", Name));
        Receive<ListenerCommands.Unbind>(_ =>
        {
            var requester = Sender;
            _log.Info("listener {Listener} unbinding; closing {Connections} connections", Name, _connections.Count);
            foreach (var connection in _connections.Keys)
                connection.Tell(new Connection.Close(DisconnectReason.Shutdown, "listener unbound"));
            Become(() => Draining(requester, socketListener));
            UnbindIfDrained(socketListener, requester);
        });
    }

    /// <summary>
    /// Connections are closing gracefully (a last error line or WebSocket close frame, then FIN). The socket is unbound
    /// only once they are gone: Akka.IO's accepted sockets are children of its listener and would be reset with it.
    /// Each connection bounds its own close (drain timeout), so this state ends.
    /// </summary>
    private void Draining(IActorRef requester, IActorRef socketListener)
    {
        Receive<Terminated>(t =>
        {
            Forget(t.ActorRef);
            UnbindIfDrained(socketListener, requester);
        });
        Receive<Tcp.Connected>(_ => Sender.Tell(Tcp.Abort.Instance));
        Receive<ListenerCommands.UpdateSetup>(_ => Sender.Tell(new ListenerCommands.SetupUpdated(Name))); // going away: nothing to take
    }

    private void UnbindIfDrained(IActorRef socketListener, IActorRef requester)
    {
        if (_connections.Count > 0) return;
        socketListener.Tell(Tcp.Unbind.Instance);
        Become(() => Unbinding(requester));
    }

    private void Unbinding(IActorRef requester)
    {
        Receive<Tcp.Unbound>(_ =>
        {
            _log.Info("listener {Listener} unbound", Name);
            requester.Tell(new ListenerCommands.Unbound(Name));
            Context.Stop(Self);
        });
        Receive<Terminated>(t => Forget(t.ActorRef));
        Receive<Tcp.Connected>(_ => Sender.Tell(Tcp.Abort.Instance));
        Receive<ListenerCommands.UpdateSetup>(_ => Sender.Tell(new ListenerCommands.SetupUpdated(Name)));
    }

    /// <summary>A reload changed only keys a running listener can take: limits, timeouts, TLS certificate, handler
    /// settings. Open connections keep what they were created with; the limits count them at the next accept.</summary>
    private void Update(ListenerCommands.UpdateSetup update)
    {
        Sender.Tell(new ListenerCommands.SetupUpdated(Name)); // the reload waits for this before it answers
        if (update.Setup.Handler.Stream is not { } handler) return;
        _setup = update.Setup;
        _handler = handler;
        _log.Info("listener {Listener} takes new settings for new connections", Name);
    }

    private void Accept(Tcp.Connected connected)
    {
        var info = new ConnectionInfo(_setup.Ids.Next(), Name, connected.RemoteAddress, connected.LocalAddress, DateTimeOffset.UtcNow);
        var ip = (connected.RemoteAddress as IPEndPoint)?.Address ?? IPAddress.None;
        _perIp.TryGetValue(ip, out var fromIp);
        DisconnectReason? rejected = null;
        if (_connections.Count >= _setup.Settings.MaxConnections
            || (_setup.Settings.MaxConnectionsPerIp > 0 && fromIp >= _setup.Settings.MaxConnectionsPerIp))
            rejected = DisconnectReason.TooManyConnections;

        var setup = new ConnectionSetup(info, Sender, _setup.Settings, _setup.Supervision, _handler, _setup.Services, rejected);
        var connection = Context.ActorOf(ActorProducer.Props(() => new Connection(setup)), info.ActorName);
        Context.Watch(connection);
        _connections[connection] = ip;
        _perIp[ip] = fromIp + 1;
    }

    private void Forget(IActorRef connection)
    {
        if (!_connections.Remove(connection, out var ip)) return;
        if (_perIp.TryGetValue(ip, out var count) && count > 1) _perIp[ip] = count - 1;
        else _perIp.Remove(ip);
    }
}

/// <summary>Messages every listener actor (TCP or UDP) understands.</summary>
public static class ListenerCommands
{
    /// <summary>Stop accepting, close every connection, then reply <see cref="Unbound"/> and stop.</summary>
    public sealed record Unbind
    {
        public static readonly Unbind Instance = new();
    }

    /// <summary>A reload: new connections get these settings (the socket stays bound, open connections keep theirs).</summary>
    public sealed record UpdateSetup(ListenerSetup Setup);

    /// <summary>Reply to <see cref="UpdateSetup"/>: connections accepted from now on get the new setup.</summary>
    public sealed record SetupUpdated(string Listener);

    /// <summary>Reply to <see cref="Unbind"/>.</summary>
    public sealed record Unbound(string Listener);

    /// <summary>Kill the listener on purpose (`kill-listener`): it throws <see cref="ActorNet.Faults.ListenerResetException"/>,
    /// its supervisor stops it (closing its socket and connections) and re-creates it after the bind backoff, on the
    /// same port. (A crash by path resumes it instead, keeping both.)</summary>
    public sealed record Crash(string Detail);
}
