using System.Text;
using ActorNet.Handlers;
using ActorNet.IntegrationTests.Support;
using ActorNet.Transport;
using Akka.Actor;
using Akka.IO;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

/// <summary>Answers a frame "N SIZE" with one <see cref="Connection.SendMany"/> of N frames "i:xxx…" (SIZE bytes of x);
/// "N SIZE shared[R] [K…]" with one (R) <see cref="Connection.SendBatch"/> of the same frames, skipping the frames at
/// indices K.</summary>
public sealed class BatchReplyHandler : ConnectionHandler
{
    public BatchReplyHandler(HandlerContext context) : base(context)
    {
        Receive<FrameReceived>(frame =>
        {
            var parts = frame.Text.Split(' ');
            int n = int.Parse(parts[0]), size = int.Parse(parts[1]);
            var payloads = Enumerable.Range(1, n)
                .Select(i => ByteString.FromBytes(Encoding.UTF8.GetBytes(i + ":" + new string('x', size))))
                .ToArray();
            if (parts.Length > 2 && parts[2].StartsWith("shared", StringComparison.Ordinal))
            {
                var batch = new ActorNet.Framing.FrameBatch(payloads);
                var skip = parts.Length > 3 ? parts[3..].Select(int.Parse).ToArray() : null;
                var times = parts[2].Length > 6 ? int.Parse(parts[2][6..]) : 1; // "shared5": the same batch 5 times
                for (var t = 0; t < times; t++) Handler.ConnectionActor.Tell(new Connection.SendBatch(batch, skip), ActorRefs.NoSender);
            }
            else Handler.ConnectionActor.Tell(new Connection.SendMany(payloads), ActorRefs.NoSender);
        });
    }
}

public sealed class SendManyTests(ITestOutputHelper output) : NodeTestKit(output)
{
    private static readonly string Batch = typeof(BatchReplyHandler).AssemblyQualifiedName!;

    [Fact(Timeout = 30_000)]
    public async Task SendMany_delivers_every_frame_in_order_and_the_connection_keeps_serving()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("batch", Batch));
        await using var client = await LineClient.ConnectAsync(bound["batch"]);

        for (var round = 0; round < 3; round++)
        {
            await client.SendLineAsync("200 10");
            for (var i = 1; i <= 200; i++) Assert.Equal(i + ":xxxxxxxxxx", await client.ReadLineAsync());
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task SendMany_over_the_write_queue_limit_cuts_the_client_with_an_error_line()
    {
        var listener = TestSettings.Listener("batch", Batch) with { WriteQueueLimitBytes = 4096 };
        var bound = await StartNodeAsync(listener);
        await using var client = await LineClient.ConnectAsync(bound["batch"]);

        await client.SendLineAsync("100 100"); // ~10 KB in one batch, limit 4 KiB
        string? line, last = null;
        while ((line = await client.ReadLineAsync(TimeSpan.FromSeconds(10))) is not null) last = line;
        Assert.Equal("error: slow consumer: write queue limit exceeded", last);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task SendBatch_delivers_the_shared_frames_minus_the_skipped_ones_in_order()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("batch", Batch));
        await using var client = await LineClient.ConnectAsync(bound["batch"]);

        // skips at the start, a run in the middle and the end: frames are 1-based in the text, indices 0-based
        await client.SendLineAsync("10 3 shared 0 4 5 6 9");
        foreach (var i in new[] { 2, 3, 4, 8, 9 }) Assert.Equal(i + ":xxx", await client.ReadLineAsync());
        await client.SendLineAsync("3 2 shared"); // nothing skipped; the connection keeps serving
        foreach (var i in new[] { 1, 2, 3 }) Assert.Equal(i + ":xx", await client.ReadLineAsync());
        await client.SendLineAsync("5 1 shared 1 1 -1 3 2 9"); // malformed: repeats, negative, lower, out of range
        foreach (var i in new[] { 1, 3, 5 }) Assert.Equal(i + ":x", await client.ReadLineAsync());
        await client.SendLineAsync("2 1 shared 0 1"); // everything skipped: nothing is sent
        await client.SendLineAsync("4 1 shared3 1"); // the same batch three times: sent as is, then copied behind it
        for (var t = 0; t < 3; t++)
            foreach (var i in new[] { 1, 3, 4 }) Assert.Equal(i + ":x", await client.ReadLineAsync());
        await client.SendLineAsync("1 1");
        Assert.Equal("1:x", await client.ReadLineAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task SendBatch_over_the_write_queue_limit_cuts_the_client_with_an_error_line()
    {
        var listener = TestSettings.Listener("batch", Batch) with { WriteQueueLimitBytes = 4096 };
        var bound = await StartNodeAsync(listener);
        await using var client = await LineClient.ConnectAsync(bound["batch"]);

        // ~10 KB per batch, limit 4 KiB: the first goes out as it is (nothing was in flight; the limit is on what
        // waits), the next ones wait behind it and exceed the limit
        await client.SendLineAsync("100 100 shared5 50");
        string? line, last = null;
        while ((line = await client.ReadLineAsync(TimeSpan.FromSeconds(10))) is not null) last = line;
        Assert.Equal("error: slow consumer: write queue limit exceeded", last);
        Assert.True(await client.WaitForCloseAsync());
    }
}
