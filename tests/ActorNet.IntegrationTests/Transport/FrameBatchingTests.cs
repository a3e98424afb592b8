using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorNet.Config;
using ActorNet.Handlers.BuiltIn;
using ActorNet.IntegrationTests.Support;
using ActorNet.Testing;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

/// <summary>
/// Many frames per socket read (one FramesReceived message per read): every built-in handler that takes batches
/// whole (echo, broadcast, forward) keeps every frame, in order; an upstream toxic still acts frame by frame.
/// </summary>
public sealed class FrameBatchingTests(ITestOutputHelper output) : NodeTestKit(output)
{
    private const int Lines = 2000;

    private static byte[] ManyLines(string prefix, int count) =>
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, count).Select(i => $"{prefix}{i}\n")));

    private static async Task ExpectLinesAsync(LineClient client, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
            Assert.Equal(prefix + i, await client.ReadLineAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Echo_returns_thousands_of_pipelined_lines_in_order()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("echo", "echo"));
        await using var client = await LineClient.ConnectAsync(bound["echo"]);
        await client.SendAsync(ManyLines("e", Lines));
        await ExpectLinesAsync(client, "e", Lines);
    }

    [Fact(Timeout = 30_000)]
    public async Task Broadcast_delivers_a_burst_of_lines_in_order_to_every_other_member()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("relay", "broadcast"));
        await using var a = await LineClient.ConnectAsync(bound["relay"]);
        await using var b = await LineClient.ConnectAsync(bound["relay"]);
        await using var c = await LineClient.ConnectAsync(bound["relay"]);
        var topic = Sys.ActorSelection("/user/actornet/services/" + BroadcastHandlerFactory.TopicName("relay"));
        await AwaitAssertAsync(async () =>
        {
            var members = await topic.Ask<BroadcastTopic.MemberCount>(BroadcastTopic.GetMemberCount.Instance, TimeSpan.FromSeconds(5));
            Assert.Equal(3, members.Count);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));

        await a.SendAsync(ManyLines("a", Lines));
        await ExpectLinesAsync(b, "a", Lines);
        await ExpectLinesAsync(c, "a", Lines);
        await b.SendLineAsync("from-b"); // a never got its own burst back: the next thing it sees is b's line
        Assert.Equal("from-b", await a.ReadLineAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Forward_with_line_framing_carries_bursts_both_ways_in_order()
    {
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        var listener = TestSettings.Listener("fwd", "forward") with
        {
            Upstream = new HostPort("127.0.0.1", ((IPEndPoint)upstream.LocalEndpoint).Port),
        };
        var bound = await StartNodeAsync(listener);
        await using var client = await LineClient.ConnectAsync(bound["fwd"]);
        await client.SendAsync(ManyLines("f", Lines)); // may arrive before the upstream is connected: held, then sent
        using var server = await upstream.AcceptTcpClientAsync();
        var stream = server.GetStream();

        // the upstream echoes what it gets in large chunks, so the link reads many frames at once too
        var expected = ManyLines("f", Lines);
        var got = new byte[expected.Length];
        var n = 0;
        while (n < got.Length)
        {
            var r = await stream.ReadAsync(got.AsMemory(n));
            Assert.True(r > 0, "upstream closed early");
            await stream.WriteAsync(got.AsMemory(n, r));
            n += r;
        }

        Assert.Equal(Encoding.ASCII.GetString(expected), Encoding.ASCII.GetString(got));
        await ExpectLinesAsync(client, "f", Lines);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_upstream_latency_toxic_still_delays_and_keeps_every_frame_of_a_batch()
    {
        await using var node = await TestNode.StartAsync("""
            actornet.listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
            """);
        await using var client = await node.ConnectAsync("echo");
        Assert.True(await client.ExchangeAsync(5, batch: 5));
        Assert.True((await node.AddToxicAsync("lag", new Dictionary<string, string>
        {
            ["type"] = "latency", ["listener"] = "echo", ["direction"] = "upstream", ["latency"] = "150ms",
        })).Ok);

        var sw = Stopwatch.StartNew();
        Assert.True(await client.ExchangeAsync(200, batch: 200), client.ToString());
        Assert.True(sw.ElapsedMilliseconds >= 150, $"round trip {sw.ElapsedMilliseconds} ms < 150 ms");
        Assert.True(client.Intact, client.ToString());
    }
}

/// <summary>Says how each read reached it: "one:TEXT" per FrameReceived, "batch:N" per FramesReceived.</summary>
public class ReadShapeHandler : ActorNet.Handlers.ConnectionHandler
{
    public ReadShapeHandler(ActorNet.Handlers.HandlerContext context) : base(context)
    {
        Receive<FrameReceived>(f => Send("one:" + f.Text));
        Receive<FramesReceived>(b => Send("batch:" + b.Frames.Count));
    }
}

/// <summary>The same handler, opted in to batches.</summary>
public sealed class BatchReadShapeHandler(ActorNet.Handlers.HandlerContext context) : ReadShapeHandler(context), ActorNet.Handlers.IAcceptsFrameBatches;

public sealed class FrameBatchOptInTests(ITestOutputHelper output) : NodeTestKit(output)
{
    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Only_handlers_that_opt_in_get_a_read_as_one_batch(bool optIn)
    {
        var type = optIn ? typeof(BatchReadShapeHandler) : typeof(ReadShapeHandler);
        var bound = await StartNodeAsync(TestSettings.Listener("shape", type.AssemblyQualifiedName!));
        await using var client = await LineClient.ConnectAsync(bound["shape"]);
        await client.SendAsync("a\nb\nc\n"u8.ToArray()); // one write of 6 bytes: one read
        if (optIn)
        {
            Assert.Equal("batch:3", await client.ReadLineAsync());
        }
        else
        {
            Assert.Equal("one:a", await client.ReadLineAsync());
            Assert.Equal("one:b", await client.ReadLineAsync());
            Assert.Equal("one:c", await client.ReadLineAsync());
        }

        await client.SendLineAsync("d");
        Assert.Equal("one:d", await client.ReadLineAsync()); // a single frame is always a FrameReceived
    }
}
