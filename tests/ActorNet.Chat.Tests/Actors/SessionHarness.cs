using System.Net;
using System.Text;
using ActorNet.Chat.Server;
using ActorNet.Chat.Session;
using ActorNet.Chat.Settings;
using ActorNet.Config;
using ActorNet.Handlers;
using ActorNet.Transport;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit;

namespace ActorNet.Chat.Tests.Actors;

/// <summary>Builds session actors whose connection is a probe, sharing one real chat server.</summary>
internal sealed class SessionHarness
{
    private static long _ids;
    private readonly TestKitBase _kit;

    public SessionHarness(TestKitBase kit, ChatSettings? settings = null)
    {
        _kit = kit;
        Settings = settings ?? ChatSettings.Default with
        {
            ServerName = "irc.test",
            Motd = [],
            Flood = new FloodSettings(1000, 1000, 1000),
        };
        Runtime = new IrcRuntime(Settings, Time, Time.GetUtcNow());
        Server = kit.Sys.ActorOf(ChatService.Props(Settings, Time));
    }

    public ManualTime Time { get; } = new();

    public ChatSettings Settings { get; }

    public IrcRuntime Runtime { get; }

    public IActorRef Server { get; set; }

    public static ListenerSettings Listener { get; } = new("chat", TransportKind.Tcp, "127.0.0.1", 0, "irc", FramingKind.Line,
        LineEnding.CrLf, 8704, 100, 0, TimeSpan.Zero, 1 << 20, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60),
        Akka.Configuration.Config.Empty, "actornet.listeners.chat");

    /// <summary>A session and the probe that stands for its connection.</summary>
    /// <param name="connection">a probe to share with another session (to see the order of lines to both)</param>
    public (IActorRef Session, TestProbe Connection) Start(IActorRef? server = null, TestProbe? connection = null)
    {
        connection ??= _kit.CreateTestProbe();
        var id = Interlocked.Increment(ref _ids);
        var info = new ConnectionInfo(id, "chat", new IPEndPoint(IPAddress.Loopback, 40000 + (int)id), new IPEndPoint(IPAddress.Loopback, 6667), Time.GetUtcNow());
        var context = new HandlerContext(info, Listener, connection.Ref,
            new Dictionary<string, IActorRef> { [IrcHandlerFactory.ServiceName] = server ?? Server });
        var session = _kit.Sys.ActorOf(Props.Create(() => new IrcSession(context, Runtime)));
        return (session, connection);
    }

    public static void Send(IActorRef session, string line) =>
        session.Tell(new ConnectionHandler.FrameReceived(ByteString.FromBytes(Encoding.UTF8.GetBytes(line))));

    /// <summary>Lines of a SendMany or SendBatch not yet returned by <see cref="Next"/>, per connection probe.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TestProbe, Queue<string>> Unread = new();

    /// <summary>PauseInput / ResumeInput the session sent to its connection, in order, as <see cref="Next"/> skipped them.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TestProbe, List<object>> Flow = new();

    /// <summary>The flow-control requests (<see cref="Connection.PauseInput"/>, <see cref="Connection.ResumeInput"/>) seen so far.</summary>
    public static IReadOnlyList<object> FlowRequests(TestProbe connection) => Flow.GetOrCreateValue(connection);

    /// <summary>The next line the session sent to its connection (one Send, or the next frame of a SendMany or SendBatch);
    /// flow-control requests on the way are recorded (<see cref="FlowRequests"/>).</summary>
    public static string Next(TestProbe connection)
    {
        var unread = Unread.GetOrCreateValue(connection);
        if (unread.Count > 0) return unread.Dequeue();
        var message = connection.ExpectMsg<object>(TimeSpan.FromSeconds(5));
        while (message is Connection.PauseInput or Connection.ResumeInput)
        {
            Flow.GetOrCreateValue(connection).Add(message);
            message = connection.ExpectMsg<object>(TimeSpan.FromSeconds(5));
        }

        switch (message)
        {
            case Connection.Send send:
                return Encoding.UTF8.GetString(send.Payload.ToArray());
            case Connection.SendMany many:
                foreach (var payload in many.Payloads) unread.Enqueue(Encoding.UTF8.GetString(payload.ToArray()));
                return unread.Dequeue();
            case Connection.SendBatch batch:
                foreach (var payload in batch.Frames.PayloadsExcept(batch.Skip)) unread.Enqueue(Encoding.UTF8.GetString(payload.ToArray()));
                return unread.Dequeue();
            default:
                throw new Xunit.Sdk.XunitException("expected a Send, SendMany or SendBatch, got " + message);
        }
    }

    /// <summary>Lines until one contains <paramref name="marker"/> (inclusive).</summary>
    public static List<string> Until(TestProbe connection, string marker)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = Next(connection);
            lines.Add(line);
            if (line.Contains(marker, StringComparison.Ordinal)) return lines;
        }
    }

    public (IActorRef Session, TestProbe Connection) Registered(string nick, TestProbe? connection = null)
    {
        (var session, connection) = Start(connection: connection);
        Send(session, "NICK " + nick);
        Send(session, $"USER {nick} 0 * :{nick}");
        Until(connection, " 422 " + nick);
        return (session, connection);
    }
}
