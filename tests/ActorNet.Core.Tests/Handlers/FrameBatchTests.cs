using System.Net;
using System.Text;
using ActorNet.Config;
using ActorNet.Handlers;
using ActorNet.Handlers.BuiltIn;
using ActorNet.Transport;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorNet.Core.Tests.Handlers;

/// <summary><see cref="ConnectionHandler.FramesReceived"/>: one message per read, for handlers that opt in.</summary>
public class FrameBatchTests : TestKit
{
    private static readonly ListenerSettings Listener = new("t", TransportKind.Tcp, "127.0.0.1", 0, "test", FramingKind.Line,
        LineEnding.Lf, 1024, 10, 0, TimeSpan.Zero, 1 << 20, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60),
        Akka.Configuration.Config.Empty, "actornet.listeners.t");

    private HandlerContext Context(IActorRef connection) =>
        new(new ConnectionInfo(1, "t", new IPEndPoint(IPAddress.Loopback, 40001), new IPEndPoint(IPAddress.Loopback, 7000), DateTimeOffset.UnixEpoch),
            Listener, connection, new Dictionary<string, IActorRef>());

    private static ByteString Bs(string s) => ByteString.FromBytes(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void Handlers_opt_in_to_batches_by_type_or_factory()
    {
        Assert.True(new ActorTypeHandlerFactory(typeof(EchoHandler)).AcceptsFrameBatches);
        Assert.True(new ActorTypeHandlerFactory(typeof(ForwardHandler)).AcceptsFrameBatches);
        Assert.True(new BroadcastHandlerFactory().AcceptsFrameBatches);
        Assert.False(new ActorTypeHandlerFactory(typeof(SingleFrameHandler)).AcceptsFrameBatches);
    }

    [Fact]
    public void The_echo_handler_answers_a_batch_with_one_SendMany_in_order()
    {
        var handler = Sys.ActorOf(Props.Create(() => new EchoHandler(Context(TestActor))));
        handler.Tell(new ConnectionHandler.FramesReceived([Bs("a"), Bs(""), Bs("c")]), TestActor);
        var many = ExpectMsg<Connection.SendMany>();
        Assert.Equal(["a", "", "c"], many.Payloads.Select(p => Encoding.UTF8.GetString(p.ToArray())));
        handler.Tell(new ConnectionHandler.FrameReceived(Bs("d")), TestActor);
        Assert.Equal("d", Encoding.UTF8.GetString(ExpectMsg<Connection.Send>().Payload.ToArray()));
    }

    /// <summary>Written against FrameReceived only.</summary>
    public sealed class SingleFrameHandler : ConnectionHandler
    {
        public SingleFrameHandler(HandlerContext context) : base(context) => Receive<FrameReceived>(f => Send(f.Data));
    }
}
