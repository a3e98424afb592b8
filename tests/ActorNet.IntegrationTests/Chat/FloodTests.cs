using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Chat;

public sealed class IrcFloodTests(ITestOutputHelper output) : ChatNodeTestKit(output)
{
    private readonly ITestOutputHelper _out = output;

    private const string Strict = """
        server-name = irc.test
        motd = ""
        flood { burst = 5, per-second = 1, max-queued = 5 }
        """;

    /// <summary>The chat block with the reference flood settings (burst 10, 2 lines/s, 20 held, 512KiB).</summary>
    private const string DefaultFlood = """
        server-name = irc.test
        motd = ""
        """;

    [Fact(Timeout = 30_000)]
    public async Task Input_over_max_held_bytes_that_could_not_be_paused_is_cut_with_excess_flood()
    {
        var ep = await StartChatAsync(Strict.Replace("max-queued = 5 }", "max-queued = 5, max-held-bytes = 1KiB }"));
        await using var c = await IrcClient.ConnectAsync(ep, "flooder");
        var lines = new StringBuilder();
        for (var i = 0; i < 600; i++) lines.Append("PING ").Append(i).Append("\r\n"); // ~6 KiB in one write: read before any pause
        await c.Raw.SendAsync(Encoding.UTF8.GetBytes(lines.ToString()));
        var seen = new List<string>();
        try
        {
            while (await c.Raw.ReadLineAsync(TimeSpan.FromSeconds(10)) is { } line) seen.Add(line);
        }
        catch (IOException)
        {
            // a reset after the ERROR line still counts as the close
        }

        Assert.True(seen.Count > 0, "nothing received");
        Assert.Equal("ERROR :Excess Flood", seen[^1]);
        // whatever was answered before the cut came in order: the burst, not more
        Assert.True(seen.Count - 1 <= 5, $"{seen.Count - 1} replies before the cut");
        Assert.Equal(Enumerable.Range(0, seen.Count - 1).Select(i => $":irc.test PONG irc.test {i}"), seen.Take(seen.Count - 1));
    }

    /// <summary>Fakelag on the reference flood settings: a 60-line burst (a paste, a bot) is delivered whole and in
    /// order at 2 lines/s (about 25 s) while the sender's reads are paused; it is never disconnected, and two other
    /// clients on the node keep sub-second delivery meanwhile.</summary>
    [Fact(Timeout = 90_000)]
    public async Task A_60_line_burst_on_default_flood_settings_arrives_whole_in_order_while_others_stay_fast()
    {
        var ep = await StartChatAsync(DefaultFlood);
        await using var alice = await IrcClient.RegisteredAsync(ep, "alice");
        await using var bob = await IrcClient.RegisteredAsync(ep, "bob");
        await using var carol = await IrcClient.RegisteredAsync(ep, "carol");
        await using var dave = await IrcClient.RegisteredAsync(ep, "dave");
        await alice.CommandAsync("JOIN #paste");
        await bob.CommandAsync("JOIN #paste");
        await carol.CommandAsync("JOIN #side");
        await dave.CommandAsync("JOIN #side");
        await alice.ExpectAsync(" JOIN #paste");

        const int count = 60;
        var burst = new StringBuilder();
        for (var i = 0; i < count; i++) burst.Append("PRIVMSG #paste :line ").Append(i).Append(" of the paste\r\n");
        var started = DateTime.UtcNow;
        await alice.Raw.SendAsync(Encoding.UTF8.GetBytes(burst.ToString()));

        var received = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
                Assert.EndsWith($" PRIVMSG #paste :line {i} of the paste", await bob.ExpectAsync(l => l.Contains(" PRIVMSG #paste "), TimeSpan.FromSeconds(15)));
        });

        var probes = new List<TimeSpan>();
        for (var n = 0; !received.IsCompleted; n++)
        {
            var sent = DateTime.UtcNow;
            await carol.SendAsync($"PRIVMSG #side :probe {n}");
            await dave.ExpectAsync($" PRIVMSG #side :probe {n}");
            probes.Add(DateTime.UtcNow - sent);
            await Task.WhenAny(received, Task.Delay(1000)); // one probe a second: well inside carol's own bucket
        }

        await received;
        var took = DateTime.UtcNow - started;
        _out.WriteLine($"60 lines in {took.TotalSeconds:F1} s; {probes.Count} probes, slowest {probes.Max().TotalMilliseconds:F0} ms");
        Assert.True(took >= TimeSpan.FromSeconds(15), $"the burst was not delayed ({took})"); // ~50 lines over the bucket at 2/s
        Assert.True(probes.Count >= 10, $"{probes.Count} probes");
        Assert.All(probes, p => Assert.True(p < TimeSpan.FromSeconds(1), $"a probe took {p.TotalMilliseconds:F0} ms"));
        Assert.Empty(await alice.SyncAsync("still-here")); // neither ERROR nor anything else: alice is connected
    }

    [Fact(Timeout = 60_000)]
    public async Task A_2000_line_burst_at_a_fast_rate_is_paused_and_delivered_not_cut()
    {
        var ep = await StartChatAsync(Strict.Replace("burst = 5, per-second = 1", "burst = 10, per-second = 500"));
        await using var alice = await IrcClient.RegisteredAsync(ep, "alice");
        await using var bob = await IrcClient.RegisteredAsync(ep, "bob");
        await alice.CommandAsync("JOIN #fast");
        await bob.CommandAsync("JOIN #fast");
        await alice.ExpectAsync(" JOIN #fast");

        const int count = 2000; // ~80 KB at once; 5 held lines, the rest waits in the kernel and TCP's window
        var burst = new StringBuilder();
        for (var i = 0; i < count; i++) burst.Append("PRIVMSG #fast :line ").Append(i).Append("\r\n");
        await alice.Raw.SendAsync(Encoding.UTF8.GetBytes(burst.ToString()));
        for (var i = 0; i < count; i++)
            Assert.EndsWith($" PRIVMSG #fast :line {i}", await bob.ExpectAsync(l => l.Contains(" PRIVMSG #fast "), TimeSpan.FromSeconds(15)));
        Assert.Empty(await alice.SyncAsync("still-here"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_half_close_gets_every_reply_then_quits()
    {
        var ep = await StartChatAsync(DefaultFlood);
        await using var alice = await IrcClient.RegisteredAsync(ep, "alice");
        await using var bob = await IrcClient.RegisteredAsync(ep, "bob");
        await alice.CommandAsync("JOIN #hc");
        await bob.CommandAsync("JOIN #hc");
        await alice.ExpectAsync(" JOIN #hc");
        await alice.SendAsync("PRIVMSG #hc :last words");
        await alice.SendAsync("PING before-fin");
        alice.Raw.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send); // nc -N, shutdown(SHUT_WR)

        Assert.Equal(":irc.test PONG irc.test before-fin", await alice.ReadAsync());
        Assert.StartsWith("ERROR :Closing link: 127.0.0.1 (Client closed connection)", await alice.ReadAsync());
        Assert.Null(await alice.Raw.ReadLineAsync());
        Assert.EndsWith(" PRIVMSG #hc :last words", await bob.ExpectAsync(" PRIVMSG #hc "));
        Assert.EndsWith(" QUIT :Client closed connection", await bob.ExpectAsync(" QUIT "));
    }

    [Fact(Timeout = 30_000)]
    public async Task Lines_over_the_burst_are_delayed_not_dropped()
    {
        var ep = await StartChatAsync(Strict.Replace("max-queued = 5", "max-queued = 50").Replace("per-second = 1", "per-second = 20"));
        await using var c = await IrcClient.ConnectAsync(ep, "eager");
        var lines = new StringBuilder();
        for (var i = 0; i < 25; i++) lines.Append("PING ").Append(i).Append("\r\n");
        var started = DateTime.UtcNow;
        await c.Raw.SendAsync(Encoding.UTF8.GetBytes(lines.ToString()));
        for (var i = 0; i < 25; i++) Assert.Equal($":irc.test PONG irc.test {i}", await c.ReadAsync());
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9), "20 lines over the burst at 20/s take about a second");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_full_channel_answers_471()
    {
        var ep = await StartChatAsync();
        await using var a = await IrcClient.RegisteredAsync(ep, "alice");
        await using var b = await IrcClient.RegisteredAsync(ep, "bob");
        await a.CommandAsync("JOIN #small");
        await a.CommandAsync("MODE #small +l 1");
        Assert.Contains(":irc.test 471 bob #small :Cannot join channel (+l)", await b.CommandAsync("JOIN #small"));
        Assert.Contains(":irc.test 696 alice #small k * :You must specify a parameter for the k mode", await a.CommandAsync("MODE #small +k"));
    }
}
