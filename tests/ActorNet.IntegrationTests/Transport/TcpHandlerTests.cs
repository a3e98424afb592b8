using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorNet.Config;
using ActorNet.Handlers.BuiltIn;
using Akka.Actor;
using ActorNet.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

public sealed class TcpHandlerTests(ITestOutputHelper output) : NodeTestKit(output)
{
    [Fact(Timeout = 30_000)]
    public async Task Echo_returns_each_line_including_split_and_merged_segments()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("echo", "echo"));
        await using var client = await LineClient.ConnectAsync(bound["echo"]);

        await client.SendLineAsync("hello");
        Assert.Equal("hello", await client.ReadLineAsync());

        // one line over several segments, then several lines in one segment, CRLF accepted
        await client.SendAsync("spl"u8.ToArray());
        await client.SendAsync("it\r"u8.ToArray());
        await client.SendAsync("\na\nb\r\nc\n"u8.ToArray());
        Assert.Equal("split", await client.ReadLineAsync());
        Assert.Equal("a", await client.ReadLineAsync());
        Assert.Equal("b", await client.ReadLineAsync());
        Assert.Equal("c", await client.ReadLineAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Broadcast_reaches_every_other_client_of_the_listener()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("relay", "broadcast"));
        await using var a = await LineClient.ConnectAsync(bound["relay"]);
        await using var b = await LineClient.ConnectAsync(bound["relay"]);
        await using var c = await LineClient.ConnectAsync(bound["relay"]);
        await WaitForMembersAsync(bound["relay"], a, b, c);

        await a.SendLineAsync("from-a");
        Assert.Equal("from-a", await b.ReadLineAsync());
        Assert.Equal("from-a", await c.ReadLineAsync());

        await c.SendLineAsync("from-c");
        Assert.Equal("from-c", await a.ReadLineAsync());
        Assert.Equal("from-c", await b.ReadLineAsync());

        // the sender never gets its own frame back: the next thing a sees is b's message
        await b.SendLineAsync("from-b");
        Assert.Equal("from-b", await a.ReadLineAsync());
        Assert.Equal("from-b", await c.ReadLineAsync());
    }

    /// <summary>Joining the topic is asynchronous: wait until the listener's topic counts every client.</summary>
    private async Task WaitForMembersAsync(IPEndPoint _, params LineClient[] clients)
    {
        var topic = Sys.ActorSelection("/user/actornet/services/" + BroadcastHandlerFactory.TopicName("relay"));
        await AwaitAssertAsync(async () =>
        {
            var members = await topic.Ask<BroadcastTopic.MemberCount>(BroadcastTopic.GetMemberCount.Instance, TimeSpan.FromSeconds(5));
            Assert.Equal(clients.Length, members.Count);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));
    }

    [Fact(Timeout = 30_000)]
    public async Task Forward_proxies_both_ways_and_closes_the_client_when_upstream_closes()
    {
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        var upstreamPort = ((IPEndPoint)upstream.LocalEndpoint).Port;
        var listener = TestSettings.Listener("fwd", "forward", framing: FramingKind.Raw) with
        {
            Upstream = new HostPort("127.0.0.1", upstreamPort),
        };
        var bound = await StartNodeAsync(listener);

        await using var client = await LineClient.ConnectAsync(bound["fwd"]);
        using var accepted = await upstream.AcceptTcpClientAsync(new CancellationTokenSource(10_000).Token);
        var upstreamStream = accepted.GetStream();

        await client.SendLineAsync("to-upstream");
        var buffer = new byte[64];
        var read = 0;
        while (read < "to-upstream\n".Length)
            read += await upstreamStream.ReadAsync(buffer.AsMemory(read), new CancellationTokenSource(10_000).Token);
        Assert.Equal("to-upstream\n", Encoding.UTF8.GetString(buffer, 0, read));

        await upstreamStream.WriteAsync("to-client\n"u8.ToArray());
        Assert.Equal("to-client", await client.ReadLineAsync());

        accepted.Close();
        Assert.True(await client.WaitForCloseAsync(), "client should be closed when its upstream closes");
    }

    [Fact(Timeout = 30_000)]
    public async Task Forward_to_a_refusing_upstream_closes_the_client()
    {
        // a port that was just free: nothing listens there
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var listener = TestSettings.Listener("fwd", "forward", framing: FramingKind.Raw) with { Upstream = new HostPort("127.0.0.1", port) };
        var bound = await StartNodeAsync(listener);

        await using var client = await LineClient.ConnectAsync(bound["fwd"]);
        Assert.True(await client.WaitForCloseAsync(), "client should be closed when the upstream refuses");
    }

    [Fact(Timeout = 30_000)]
    public async Task Over_long_line_gets_an_error_line_and_a_close_while_others_carry_on()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("echo", "echo") with { MaxFrameBytes = 100 });
        await using var bystander = await LineClient.ConnectAsync(bound["echo"]);
        await using var client = await LineClient.ConnectAsync(bound["echo"]);

        await client.SendAsync(Encoding.ASCII.GetBytes(new string('x', 500)));
        var error = await client.ReadLineAsync();
        Assert.NotNull(error);
        Assert.StartsWith("error: frame too long", error);
        Assert.True(await client.WaitForCloseAsync());

        await bystander.SendLineAsync("still here");
        Assert.Equal("still here", await bystander.ReadLineAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Random_binary_garbage_and_abrupt_resets_never_hurt_other_clients()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("echo", "echo") with { MaxFrameBytes = 1024 });
        await using var bystander = await LineClient.ConnectAsync(bound["echo"]);
        var random = new Random(1234);
        for (var i = 0; i < 20; i++)
        {
            var garbage = new LineClient[1];
            garbage[0] = await LineClient.ConnectAsync(bound["echo"]);
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            try
            {
                await garbage[0].SendAsync(bytes);
            }
            catch (IOException)
            {
                // the server may already have cut us for an over-long frame
            }

            if (i % 2 == 0) garbage[0].Reset();
            else await garbage[0].DisposeAsync();
        }

        await bystander.SendLineAsync("alive");
        Assert.Equal("alive", await bystander.ReadLineAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task Slow_consumer_is_cut_while_the_other_clients_receive_everything()
    {
        var listener = TestSettings.Listener("relay", "broadcast") with { WriteQueueLimitBytes = 256 * 1024 };
        var bound = await StartNodeAsync(listener);
        await using var sender = await LineClient.ConnectAsync(bound["relay"]);
        await using var reader = await LineClient.ConnectAsync(bound["relay"]);
        await using var slow = await LineClient.ConnectAsync(bound["relay"], receiveBufferSize: 4096);
        await WaitForMembersAsync(bound["relay"], sender, reader, slow);

        // batches the reader keeps up with (so only a client that stops reading falls behind); slow never reads.
        // 20 MB in all: more than the kernel buffers of the slow client's socket can absorb.
        var payload = new string('p', 1000);
        const int batches = 200, perBatch = 100;
        for (var batch = 0; batch < batches; batch++)
        {
            var lines = new StringBuilder();
            for (var i = 0; i < perBatch; i++) lines.Append(batch).Append('.').Append(i).Append(':').Append(payload).Append('\n');
            await sender.SendAsync(Encoding.UTF8.GetBytes(lines.ToString()));
            for (var i = 0; i < perBatch; i++)
                Assert.Equal($"{batch}.{i}:{payload}", await reader.ReadLineAsync());
        }

        Assert.True(await slow.WaitForCloseAsync(TimeSpan.FromSeconds(15)), "the slow consumer should have been cut");
    }

    [Fact(Timeout = 120_000)]
    public async Task Two_hundred_concurrent_clients_each_get_their_own_echoes()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("echo", "echo"));
        var clients = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => LineClient.ConnectAsync(bound["echo"])));
        try
        {
            await Task.WhenAll(clients.Select(async (client, n) =>
            {
                for (var i = 0; i < 20; i++)
                {
                    await client.SendLineAsync($"client-{n}-msg-{i}");
                    Assert.Equal($"client-{n}-msg-{i}", await client.ReadLineAsync(TimeSpan.FromSeconds(30)));
                }
            }));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }
}
