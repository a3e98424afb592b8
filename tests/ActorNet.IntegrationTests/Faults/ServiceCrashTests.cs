using ActorNet.IntegrationTests.Chat;
using ActorNet.IntegrationTests.Support;
using ActorNet.Node.Hosting;
using ActorNet.Testing;
using Xunit;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>
/// Crash anything, lose nothing: each service of the node is crashed by path (the admin endpoint's own command)
/// while IRC clients talk in a channel and relay clients exchange lines. Afterwards nobody was disconnected, no
/// channel line or relay line is missing or out of order, NAMES/WHO/TOPIC/MODE/WHOIS/LUSERS answer exactly as
/// before, a colliding NICK still gets 433, a client that leaves is seen leaving (no ghost) and the tree is back
/// to its size.
/// </summary>
public sealed class ServiceCrashTests
{
    private const string Node = """
        actornet.listeners {
          chat { bind = "127.0.0.1:0", handler = irc, line-ending = crlf, max-frame-bytes = 8704 }
          relay { transport = tcp, bind = "127.0.0.1:0", handler = broadcast }
          echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
        }
        actornet.chat.flood { burst = 1000, per-second = 1000 }
        """;

    private const int Lines = 300;

    [Theory(Timeout = 90_000)]
    [InlineData("/user/actornet/services/chat")]
    [InlineData("/user/actornet/services/chat/users")]
    [InlineData("/user/actornet/services/chat/channels")]
    [InlineData("/user/actornet/services/chat/channels/ch-1")]
    [InlineData("/user/actornet/services/broadcast-relay")]
    [InlineData("/user/actornet/listeners/echo")]
    [InlineData("/user/actornet/faults")]
    [InlineData("/user/actornet/faults/chaos")]
    public async Task A_crashed_service_changes_nothing_clients_can_see(string path)
    {
        await using var node = await TestNode.StartAsync(Node, catalog: NodeHandlers.Catalog);
        var chat = node.Endpoint("chat");
        await using var alice = await IrcClient.RegisteredAsync(chat, "alice");
        await using var bob = await IrcClient.RegisteredAsync(chat, "bob");
        await using var carol = await IrcClient.RegisteredAsync(chat, "carol");
        await using var dave = await IrcClient.ConnectAsync(chat, "dave");
        foreach (var c in new[] { alice, bob, carol })
        {
            await c.SendAsync("JOIN #a");
            await c.ExpectAsync(" 366 ");
        }

        await alice.CommandAsync("TOPIC #a :before the crash");
        await alice.CommandAsync("MODE #a +vl bob 50");
        await alice.CommandAsync("MODE #a +b troll!*@*");
        await using var r1 = await LineClient.ConnectAsync(node.Endpoint("relay"));
        await using var r2 = await LineClient.ConnectAsync(node.Endpoint("relay"));
        await RelayWarmUpAsync(r1, r2);
        await bob.SyncAsync(); // bob has read every JOIN/MODE/TOPIC so far
        var before = await QueriesAsync(alice);
        var baseline = await node.TreeSizeAsync();

        // carol talks in #a and r1 on the relay while the service crashes
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var talk = Task.Run(async () =>
        {
            for (var i = 0; i < Lines; i++)
            {
                await carol.SendAsync($"PRIVMSG #a :m{i}");
                await r1.SendLineAsync($"relay-{i}");
                if (i == Lines / 3) halfway.TrySetResult();
                if (i % 10 == 0) await Task.Delay(2);
            }
        });
        await halfway.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var crashed = await node.Control.CrashAsync(path);
        Assert.True(crashed.Ok, crashed.Message);
        await talk.WaitAsync(TimeSpan.FromSeconds(30));

        // every line arrived, once, in order
        Assert.Equal(Enumerable.Range(0, Lines).Select(i => $"m{i}"), await ChannelLinesAsync(bob, "carol", Lines));
        Assert.Equal(Enumerable.Range(0, Lines).Select(i => $"relay-{i}"), await RelayLinesAsync(r2, Lines));

        // the same answers as before, nick uniqueness holds, nobody disconnected, the tree is back
        Assert.Equal(before, await QueriesAsync(alice));
        await dave.SendAsync("NICK bob");
        await dave.SendAsync("USER dave 0 * :dave");
        await dave.ExpectAsync(" 433 ");
        await dave.SendAsync("NICK dave");
        await dave.ExpectAsync(l => l.Contains(" 376 ") || l.Contains(" 422 "));
        Assert.Contains(" 433 ", string.Join('\n', await carol.CommandAsync("NICK Alice")));
        foreach (var c in new[] { alice, bob, carol }) Assert.DoesNotContain(c.Seen, l => l.StartsWith("ERROR", StringComparison.Ordinal) || l.Contains(" QUIT "));
        await r1.SendLineAsync("after");
        Assert.Equal("after", await r2.ReadLineAsync());
        Assert.True(await node.WaitForTreeSizeAsync(baseline, TimeSpan.FromSeconds(10)), "the tree returns to its size");

        // no ghost: carol's leaving is seen, her nick is free again
        await carol.DisposeAsync();
        await bob.ExpectAsync(l => l.StartsWith(":carol!", StringComparison.Ordinal) && l.Contains(" QUIT "));
        var names = (await alice.CommandAsync("NAMES #a")).Single(l => l.Contains(" 353 ", StringComparison.Ordinal));
        Assert.EndsWith(":@alice +bob", names);
        await using var carol2 = await IrcClient.RegisteredAsync(chat, "carol");
    }

    /// <summary>What a user sees of the channel and the users: NAMES, WHO, TOPIC, MODE, the ban list, WHOIS, LUSERS.</summary>
    internal static async Task<List<string>> QueriesAsync(IrcClient c)
    {
        var lines = new List<string>();
        foreach (var query in new[] { "NAMES #a", "WHO #a", "TOPIC #a", "MODE #a", "MODE #a +b", "WHOIS bob", "WHOIS carol", "LUSERS", "LIST" })
            lines.AddRange((await c.CommandAsync(query)).Where(l => !l.Contains(" PRIVMSG ", StringComparison.Ordinal))); // not the talk in #a
        return lines;
    }

    /// <summary>The texts of the next <paramref name="count"/> PRIVMSGs from <paramref name="from"/> to #a.</summary>
    internal static async Task<List<string>> ChannelLinesAsync(IrcClient c, string from, int count)
    {
        var texts = new List<string>();
        while (texts.Count < count)
        {
            var line = await c.ExpectAsync(l => l.StartsWith($":{from}!", StringComparison.Ordinal) && l.Contains(" PRIVMSG #a "), TimeSpan.FromSeconds(15));
            texts.Add(line[(line.IndexOf(" PRIVMSG #a ", StringComparison.Ordinal) + 12)..].TrimStart(':'));
        }

        return texts;
    }

    private static async Task<List<string>> RelayLinesAsync(LineClient c, int count)
    {
        var lines = new List<string>();
        while (lines.Count < count)
            lines.Add(await c.ReadLineAsync(TimeSpan.FromSeconds(15)) ?? throw new Xunit.Sdk.XunitException($"relay client closed after {lines.Count} lines"));
        return lines;
    }

    /// <summary>Until both relay clients are members: r1 repeats a line until r2 hears it; r2 then reads up to a marker.</summary>
    private static async Task RelayWarmUpAsync(LineClient r1, LineClient r2)
    {
        using var heard = new CancellationTokenSource();
        var repeat = Task.Run(async () =>
        {
            while (!heard.IsCancellationRequested)
            {
                await r1.SendLineAsync("warm");
                await Task.Delay(50);
            }
        });
        Assert.Equal("warm", await r2.ReadLineAsync());
        await heard.CancelAsync();
        await repeat;
        await r1.SendLineAsync("ready");
        while (await r2.ReadLineAsync() != "ready")
        {
        }
    }
}
