using ActorNet.Runtime;
using System.Text;
using ActorNet.Faults;
using ActorNet.Handlers;
using ActorNet.IntegrationTests.Support;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Transport;

/// <summary>"pause" → <see cref="ConnectionHandler.PauseInput"/> and answers "paused"; a <see cref="Resume"/> message
/// (from the test) → ResumeInput. Every other line must be "i:…" with i counting from 1; "end" answers "ok N" with the
/// number of such lines, or "bad at N" at the first one out of order.</summary>
public sealed class PausingHandler : ConnectionHandler
{
    public sealed record Resume;

    private int _count;
    private string? _bad;

    public PausingHandler(HandlerContext context) : base(context)
    {
        Receive<Resume>(_ => ResumeInput());
        Receive<FrameReceived>(frame =>
        {
            var text = frame.Text;
            switch (text)
            {
                case "pause":
                    PauseInput();
                    Send("paused");
                    return;
                case "end":
                    Send(_bad ?? "ok " + _count);
                    return;
            }

            _count++;
            if (_bad is null && !text.StartsWith(_count + ":", StringComparison.Ordinal)) _bad = "bad at " + _count;
        });
    }
}

public sealed class FlowControlTests(ITestOutputHelper output) : NodeTestKit(output)
{
    private static readonly string Pausing = typeof(PausingHandler).AssemblyQualifiedName!;

    /// <summary>While the handler has paused input the connection reads (almost) nothing more — the client's 32 MiB
    /// stay in the kernel's buffers and its write blocks — and after ResumeInput every line arrives, in order.</summary>
    [Fact(Timeout = 60_000)]
    public async Task Paused_input_is_left_in_the_socket_and_arrives_whole_after_resume()
    {
        var bound = await StartNodeAsync(TestSettings.Listener("p", Pausing));
        await using var client = await LineClient.ConnectAsync(bound["p"]);
        await client.SendLineAsync("pause");
        Assert.Equal("paused", await client.ReadLineAsync());

        const int Lines = 32 * 1024; // 1 KiB each: 32 MiB, far more than the loopback socket buffers hold
        var pad = new string('x', 1000);
        var payload = new MemoryStream();
        for (var i = 1; i <= Lines; i++) payload.Write(Encoding.UTF8.GetBytes(i + ":" + pad + "\n"));
        var writing = Task.Run(async () =>
        {
            await client.Socket.SendAsync(payload.ToArray()); // blocks until the node reads again
        });

        var stats = NodeRuntime.Get(Sys).Connections.Snapshot().Single().Stats;
        // A bounded window to see that the write does not get through while paused (a negative can only be shown so).
        var finished = await Task.WhenAny(writing, Task.Delay(TimeSpan.FromSeconds(2)));
        Assert.NotSame(writing, finished);
        // what the node read after the pause: at most a few socket reads (akka.io.tcp.maximum-frame-size = 128k each)
        Assert.True(stats.BytesIn < 1024 * 1024, $"read {stats.BytesIn} bytes while paused");

        var connection = NodeRuntime.Get(Sys).Connections.Snapshot().Single().Actor;
        Sys.ActorSelection(connection.Path / "handler").Tell(new PausingHandler.Resume());
        await writing.WaitAsync(TimeSpan.FromSeconds(30));
        await client.SendLineAsync("end");
        Assert.Equal("ok " + Lines, await client.ReadLineAsync(TimeSpan.FromSeconds(30)));
    }
}
