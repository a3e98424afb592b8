using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Chat;

public sealed class IrcFanOutTests(ITestOutputHelper output) : ChatNodeTestKit(output)
{
    private readonly ITestOutputHelper _out = output;

    [Fact(Timeout = 120_000)]
    public async Task Fifty_members_each_receive_every_message_of_the_others()
    {
        var ep = await StartChatAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => IrcClient.RegisteredAsync(ep, "m" + i)));
        try
        {
            foreach (var c in clients) await c.CommandAsync("JOIN #big");
            var names = await clients[0].CommandAsync("NAMES #big");
            Assert.Equal(50, names.Where(l => l.Contains(" 353 ")).SelectMany(l => l.Split(':').Last().Split(' ')).Count());
            Assert.Contains(names, l => l.Contains("@m0"));

            const int senders = 5, perSender = 20;
            await Task.WhenAll(clients.Take(senders).Select(async (c, s) =>
            {
                for (var i = 0; i < perSender; i++) await c.SendAsync($"PRIVMSG #big :from {s} number {i}");
            }));
            await Task.WhenAll(clients.Select(async (c, n) =>
            {
                var expected = n < senders ? (senders - 1) * perSender : senders * perSender;
                var got = new Dictionary<int, int>();
                for (var count = 0; count < expected;)
                {
                    var line = await c.ReadAsync(TimeSpan.FromSeconds(30));
                    if (!line.Contains(" PRIVMSG #big :from ")) continue;
                    var parts = line.Split(' ');
                    var from = int.Parse(parts[^3]);
                    var number = int.Parse(parts[^1]);
                    Assert.NotEqual(n, from);
                    Assert.Equal(got.GetValueOrDefault(from), number); // in order, none lost, none doubled
                    got[from] = number + 1;
                    count++;
                }

                Assert.Empty(await c.SyncAsync()); // and nothing more
            }));
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Quit_and_connection_loss_are_seen_by_channel_members_once()
    {
        var ep = await StartChatAsync();
        await using var a = await IrcClient.RegisteredAsync(ep, "alice");
        await using var b = await IrcClient.RegisteredAsync(ep, "bob");
        await using var c = await IrcClient.RegisteredAsync(ep, "carol");
        foreach (var x in new[] { a, b, c })
        {
            await x.CommandAsync("JOIN #one");
            await x.CommandAsync("JOIN #two");
        }

        await b.SendAsync("QUIT :see you");
        Assert.Equal("ERROR :Closing link: 127.0.0.1 (Quit: see you)", await b.ExpectAsync("ERROR"));
        Assert.True(await b.ClosedAsync());
        await a.ExpectAsync(":bob!~bob@127.0.0.1 QUIT :Quit: see you");
        var rest = await a.SyncAsync();
        Assert.DoesNotContain(rest, l => l.Contains(" QUIT ")); // once, though they shared two channels

        c.Raw.Reset();
        // a reset socket reads as a reset or, when its FIN wins the race, as a half-close: either way one QUIT
        var lost = await a.ExpectAsync(l => l.StartsWith(":carol!~carol@127.0.0.1 QUIT :", StringComparison.Ordinal));
        Assert.Contains(lost, new[] { ":carol!~carol@127.0.0.1 QUIT :Connection closed", ":carol!~carol@127.0.0.1 QUIT :Client closed connection" });
        var names = await a.CommandAsync("NAMES #one");
        Assert.Contains(":irc.test 353 alice = #one @alice", names);
        var whowas = await a.CommandAsync("WHOWAS bob");
        Assert.Contains(":irc.test 314 alice bob ~bob 127.0.0.1 * :bob real", whowas);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_slow_consumer_is_cut_with_sendq_exceeded_while_the_others_receive_everything()
    {
        var ep = await StartChatAsync(DefaultOptions, writeQueueLimit: 256 * 1024);
        await using var sender = await IrcClient.RegisteredAsync(ep, "sender");
        await using var reader = await IrcClient.RegisteredAsync(ep, "reader");
        await using var slow = await IrcClient.RegisteredAsync(ep, "slow", receiveBufferSize: 4096);
        foreach (var x in new[] { sender, reader, slow }) await x.CommandAsync("JOIN #flow");
        await sender.SyncAsync();
        await reader.SyncAsync();
        await slow.SyncAsync();

        Task<List<string>>? slowDrain = null;
        var payload = "x " + new string('p', 400);
        const int batches = 500, perBatch = 100; // 20 MB: more than the slow client's kernel buffers absorb
        for (var batch = 0; batch < batches; batch++)
        {
            var lines = new StringBuilder();
            for (var i = 0; i < perBatch; i++) lines.Append($"PRIVMSG #flow :{batch}.{i}:{payload}\r\n");
            await sender.Raw.SendAsync(Encoding.UTF8.GetBytes(lines.ToString()));
            for (var i = 0; i < perBatch;)
            {
                var line = await reader.ReadAsync(TimeSpan.FromSeconds(30));
                if (line.StartsWith(":slow!", StringComparison.Ordinal) && line.Contains(" QUIT "))
                {
                    slowDrain ??= Task.Run(async () =>
                    {
                        var all = new List<string>();
                        var sw = System.Diagnostics.Stopwatch.StartNew();
                        try
                        {
                            while (await slow.Raw.ReadLineAsync(TimeSpan.FromSeconds(20)) is { } l) all.Add(l);
                        }
                        catch (Exception e)
                        {
                            _out.WriteLine($"DRAIN after {sw.ElapsedMilliseconds} ms, {all.Count} lines: {e.Message}; last {all.LastOrDefault()?[..Math.Min(60, all.LastOrDefault()?.Length ?? 0)]}");
                            throw;
                        }

                        _out.WriteLine($"DRAIN done after {sw.ElapsedMilliseconds} ms, {all.Count} lines");
                        return all;
                    });
                    continue;
                }

                Assert.Equal($":sender!~sender@127.0.0.1 PRIVMSG #flow :{batch}.{i}:{payload}", line);
                i++;
            }
        }

        Assert.NotNull(slowDrain);
        var received = await slowDrain;
        Assert.Equal("ERROR :SendQ exceeded", received[^1]);
        Assert.Contains(await reader.CommandAsync("NAMES #flow"), l => l.Contains(" 353 ") && !l.Contains("slow"));
    }
}
