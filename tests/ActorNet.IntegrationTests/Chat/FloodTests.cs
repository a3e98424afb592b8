using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Chat;

public sealed class IrcFloodTests(ITestOutputHelper output) : ChatNodeTestKit(output)
{
    private const string Strict = """
        server-name = irc.test
        motd = ""
        flood { burst = 5, per-second = 1, max-queued = 5 }
        """;

    [Fact(Timeout = 30_000)]
    public async Task A_burst_over_the_bucket_and_its_queue_is_cut_with_excess_flood()
    {
        var ep = await StartChatAsync(Strict);
        await using var c = await IrcClient.ConnectAsync(ep, "flooder");
        var lines = new StringBuilder();
        for (var i = 0; i < 30; i++) lines.Append("PING ").Append(i).Append("\r\n");
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
        // whatever was answered before the cut came in order, and no more than the burst and the queue allow
        Assert.True(seen.Count - 1 <= 10, $"{seen.Count - 1} replies before the cut");
        Assert.Equal(Enumerable.Range(0, seen.Count - 1).Select(i => $":irc.test PONG irc.test {i}"), seen.Take(seen.Count - 1));
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
