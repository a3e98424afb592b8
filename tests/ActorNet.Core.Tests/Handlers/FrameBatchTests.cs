using System.Net;
using System.Text;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.Handlers;
using ActorNet.Handlers.BuiltIn;
using ActorNet.Transport;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorNet.Core.Tests.Handlers;

/// <summary>
/// <see cref="ConnectionHandler.FramesReceived"/>: one message per read. Handlers written against FrameReceived get the
/// frames one by one, each at the behavior current at that frame; opted-in handlers get the batch whole.
/// </summary>
public class FrameBatchTests : TestKit
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    private static readonly ListenerSettings Listener = new("t", TransportKind.Tcp, "127.0.0.1", 0, "test", FramingKind.Line,
        LineEnding.Lf, 1024, 10, 0, TimeSpan.Zero, 1 << 20, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60),
        Akka.Configuration.Config.Empty, "actornet.listeners.t");

    private HandlerContext Context(IActorRef connection) =>
        new(new ConnectionInfo(1, "t", new IPEndPoint(IPAddress.Loopback, 40001), new IPEndPoint(IPAddress.Loopback, 7000), DateTimeOffset.UnixEpoch),
            Listener, connection, new Dictionary<string, IActorRef>());

    private static ByteString Bs(string s) => ByteString.FromBytes(Encoding.UTF8.GetBytes(s));

    private static ConnectionHandler.FramesReceived Batch(params string[] lines) => new(lines.Select(Bs).ToArray());

    private string NextSent() => Encoding.UTF8.GetString(ExpectMsg<Connection.Send>().Payload.ToArray());

    [Fact]
    public void A_handler_that_becomes_mid_batch_handles_each_frame_in_the_behavior_current_at_that_frame()
    {
        var handler = Sys.ActorOf(Props.Create(() => new TwoStateHandler(Context(TestActor))));
        handler.Tell(Batch("x", "switch", "y", "back", "z"), TestActor);
        handler.Tell(new ConnectionHandler.FrameReceived(Bs("w")), TestActor);
        handler.Tell(Batch("switch", "v"), TestActor);

        Assert.Equal(["A:x", "A:switch", "B:y", "B:back", "A:z", "A:w", "A:switch", "B:v"],
            Enumerable.Range(0, 8).Select(_ => NextSent()).ToArray());
        ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Unpacked_frames_carry_the_batch_sender()
    {
        var handler = Sys.ActorOf(Props.Create(() => new SenderEchoHandler(Context(TestActor))));
        var connection = CreateTestProbe();
        handler.Tell(Batch("a", "b"), connection.Ref);
        connection.ExpectMsg("a");
        connection.ExpectMsg("b");
    }

    [Fact]
    public void Stashing_inside_a_batch_stashes_single_frames_and_unstashing_keeps_order_without_duplicates()
    {
        var handler = Sys.ActorOf(Props.Create(() => new StashingHandler(Context(TestActor))));
        handler.Tell(Batch("1", "2", "go", "3"), TestActor);
        handler.Tell(Batch("4", "5"), TestActor);
        Assert.Equal(["go", "1", "2", "3", "4", "5"], Enumerable.Range(0, 6).Select(_ => NextSent()).ToArray());
        ExpectNoMsg(Quiet);
    }

    [Fact]
    public void An_opted_in_handler_gets_the_batch_whole_and_unpacked_in_a_behavior_without_a_batch_case()
    {
        var handler = Sys.ActorOf(Props.Create(() => new BatchAwareHandler(Context(TestActor))));
        handler.Tell(Batch("a", "b"), TestActor);
        Assert.Equal("batch:a,b", NextSent());
        handler.Tell(new ConnectionHandler.FrameReceived(Bs("single")), TestActor); // Becomes: no batch case any more
        Assert.Equal("one:single", NextSent());
        handler.Tell(Batch("c", "d"), TestActor);
        Assert.Equal(["one:c", "one:d"], new[] { NextSent(), NextSent() });
        ExpectNoMsg(Quiet);
    }

    [Fact]
    public void The_echo_handler_answers_a_batch_with_one_SendMany_in_order()
    {
        var handler = Sys.ActorOf(Props.Create(() => new EchoHandler(Context(TestActor))));
        handler.Tell(Batch("a", "", "c"), TestActor);
        var many = ExpectMsg<Connection.SendMany>();
        Assert.Equal(["a", "", "c"], many.Payloads.Select(p => Encoding.UTF8.GetString(p.ToArray())));
        handler.Tell(new ConnectionHandler.FrameReceived(Bs("d")), TestActor);
        Assert.Equal("d", NextSent());
    }

    [Fact]
    public void An_injected_crash_restarts_the_handler_and_the_next_batch_is_handled()
    {
        var handler = Sys.ActorOf(Props.Create(() => new TwoStateHandler(Context(TestActor))));
        handler.Tell(Batch("switch", "y"), TestActor);
        Assert.Equal(["A:switch", "B:y"], new[] { NextSent(), NextSent() });
        EventFilter.Exception<InjectedFaultException>().ExpectOne(() =>
            handler.Tell(new ConnectionHandler.InjectedCrash("test"), TestActor));
        handler.Tell(Batch("p", "q"), TestActor);
        Assert.Equal(["A:p", "A:q"], new[] { NextSent(), NextSent() }); // restarted in its initial behavior
    }

    [Fact]
    public void A_frame_that_throws_mid_batch_restarts_the_handler_which_handles_the_next_reads()
    {
        var handler = Sys.ActorOf(Props.Create(() => new TwoStateHandler(Context(TestActor))));
        EventFilter.Exception<InvalidOperationException>("boom").ExpectOne(() => handler.Tell(Batch("switch", "boom", "lost"), TestActor));
        Assert.Equal(["A:switch", "B:boom"], new[] { NextSent(), NextSent() });
        handler.Tell(Batch("p", "q"), TestActor);
        // the rest of the failing read is dropped with the failing frame (documented); the next read is handled
        Assert.Equal(["A:p", "A:q"], new[] { NextSent(), NextSent() });
        ExpectNoMsg(Quiet);
    }

    /// <summary>Written against FrameReceived only; "switch" / "back" toggle between two behaviors.</summary>
    private sealed class TwoStateHandler : ConnectionHandler
    {
        public TwoStateHandler(HandlerContext context) : base(context) => A();

        private void A() => Receive<FrameReceived>(f =>
        {
            Send("A:" + f.Text);
            if (f.Text == "switch") Become(B);
        });

        private void B() => Receive<FrameReceived>(f =>
        {
            Send("B:" + f.Text);
            if (f.Text == "back") Become(A);
            if (f.Text == "boom") throw new InvalidOperationException("boom");
        });
    }

    private sealed class SenderEchoHandler : ConnectionHandler
    {
        public SenderEchoHandler(HandlerContext context) : base(context) =>
            Receive<FrameReceived>(f => Sender.Tell(f.Text));
    }

    /// <summary>Stashes frames until "go", then handles them.</summary>
    private sealed class StashingHandler : ConnectionHandler, IWithUnboundedStash
    {
        public StashingHandler(HandlerContext context) : base(context)
        {
            Receive<FrameReceived>(f =>
            {
                if (f.Text != "go")
                {
                    Stash.Stash();
                    return;
                }

                Send("go");
                Become(() => Receive<FrameReceived>(g => Send(g.Text)));
                Stash.UnstashAll();
            });
        }

        public IStash Stash { get; set; } = null!;
    }

    /// <summary>Takes batches whole until its first single frame, then becomes a behavior without a batch case.</summary>
    private sealed class BatchAwareHandler : ConnectionHandler
    {
        public BatchAwareHandler(HandlerContext context) : base(context)
        {
            Receive<FramesReceived>(b => Send("batch:" + string.Join(",", b.Frames.Select(f => Encoding.UTF8.GetString(f.ToArray())))));
            Receive<FrameReceived>(f =>
            {
                Send("one:" + f.Text);
                Become(() => Receive<FrameReceived>(g => Send("one:" + g.Text)));
            });
        }

        protected override bool AcceptsFrameBatches => true;
    }
}
