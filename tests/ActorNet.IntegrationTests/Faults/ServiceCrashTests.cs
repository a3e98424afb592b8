using System.Net;
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
        actornet.chat.flood { burst = 1000, per-second = 1000, max-queued = 1000 }
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
        Assert.Contains(" 731 alice dave", string.Join('\n', await alice.CommandAsync("MONITOR + dave")));
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
        await alice.ExpectAsync(l => l.Contains(" 730 alice dave!", StringComparison.Ordinal)); // MONITOR survived the crash
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

    /// <summary>
    /// A session crashed (three times) while its own commands are queued and chat events for it are on the way (its
    /// JOINs and PARTs being answered, KICKs by another user): afterwards the session, the user directory and the
    /// channels agree on where it is — WHOIS (directory), NAMES (channels) and JOIN 0 (the session's own view) name
    /// the same channels — and none of its channel lines was lost.
    /// </summary>
    [Fact(Timeout = 90_000)]
    public async Task A_session_crashed_with_events_in_flight_agrees_with_its_channels()
    {
        await using var node = await TestNode.StartAsync(Node, catalog: NodeHandlers.Catalog);
        var chat = node.Endpoint("chat");
        await using var alice = await IrcClient.RegisteredAsync(chat, "alice");
        await using var bob = await IrcClient.RegisteredAsync(chat, "bob");
        await bob.SendAsync("JOIN #base");
        await bob.ExpectAsync(" 366 ");
        for (var k = 0; k < 5; k++) await bob.CommandAsync($"JOIN #k{k}"); // bob is op there
        foreach (var channel in new[] { "#base" }.Concat(Enumerable.Range(0, 5).Select(k => $"#k{k}")))
        {
            await alice.SendAsync("JOIN " + channel);
            await alice.ExpectAsync(l => l.Contains(" 366 ") && l.Contains(channel));
        }

        await bob.SyncAsync();
        var id = node.Runtime.Connections.Snapshot()
            .Single(c => c.Info.Remote is IPEndPoint remote && remote.Equals(alice.Raw.Socket.LocalEndPoint)).Info.Id;
        var handler = $"/user/actornet/listeners/chat/c-{id}/handler";

        // one write of 60 commands from alice, bob's KICKs, and three crashes of alice's session in the middle
        var burst = string.Concat(Enumerable.Range(0, 20).Select(i =>
            $"JOIN #j{i}\r\nPRIVMSG #base :x{i}\r\n" + (i % 2 == 0 ? $"PART #j{i}\r\n" : $"NAMES #j{i}\r\n")));
        await alice.Raw.SendAsync(System.Text.Encoding.UTF8.GetBytes(burst));
        for (var crash = 0; crash < 3; crash++)
        {
            await bob.SendAsync($"KICK #k{crash} alice :in flight");
            var crashed = await node.Control.CrashAsync(handler);
            Assert.True(crashed.Ok, crashed.Message);
            var restarted = DateTime.UtcNow + TimeSpan.FromSeconds(10); // the next crash hits the new instance
            while (!(node.Runtime.Connections.TryGet(id, out var e) && e.Stats.HandlerRestarts > crash))
            {
                Assert.True(DateTime.UtcNow < restarted, $"the session was not restarted (crash {crash}, {(node.Runtime.Connections.TryGet(id, out var x) ? x.Stats.HandlerRestarts : -1)} restarts)");
                await Task.Delay(5);
            }
        }

        await bob.SendAsync("KICK #k3 alice :after");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"x{i}"), await ChannelLinesAsync(bob, "alice", 20, "#base"));
        await alice.SyncAsync("settled");
        await bob.SyncAsync();
        Assert.True(node.Runtime.Connections.TryGet(id, out var entry) && entry.Stats.HandlerRestarts == 3, "three restarts on the same socket");

        var expected = new[] { "#base", "#k4" }.Concat(Enumerable.Range(0, 20).Where(i => i % 2 == 1).Select(i => $"#j{i}")).Order(StringComparer.Ordinal).ToList();
        var whois = (await bob.CommandAsync("WHOIS alice")).Single(l => l.Contains(" 319 "));
        Assert.Equal(expected, whois[(whois.IndexOf(" :", StringComparison.Ordinal) + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.TrimStart('@', '+')).Order(StringComparer.Ordinal));
        foreach (var channel in expected.Concat(Enumerable.Range(0, 5).Select(k => $"#k{k}")).Concat(Enumerable.Range(0, 20).Select(i => $"#j{i}")).Distinct())
        {
            var names = (await bob.CommandAsync("NAMES " + channel)).Where(l => l.Contains(" 353 ")).ToList();
            var listed = names.Any(l => l[(l.LastIndexOf(" :", StringComparison.Ordinal) + 2)..].Split(' ').Any(n => n.TrimStart('@', '+') == "alice"));
            Assert.True(listed == expected.Contains(channel), $"{channel}: NAMES {(listed ? "lists" : "does not list")} alice");
        }

        // the session's own view: JOIN 0 parts exactly those channels
        await alice.SendAsync("JOIN 0");
        var parted = new List<string>();
        foreach (var _ in expected)
        {
            var part = await alice.ExpectAsync(l => l.StartsWith(":alice!", StringComparison.Ordinal) && l.Contains(" PART "));
            parted.Add(part.Split(' ')[2]);
        }

        Assert.Equal(expected, parted.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(" 319 ", string.Join('\n', await bob.CommandAsync("WHOIS alice")));
        Assert.DoesNotContain(alice.Seen, l => l.StartsWith("ERROR", StringComparison.Ordinal));
    }

    /// <summary>
    /// A session crashed while flood control holds its lines and has paused the connection's reads (fakelag): the
    /// held lines, their read credit and the pause are carried over, so every line still runs, in order, at the flood
    /// rate, and the client is neither cut nor stalled.
    /// </summary>
    [Fact(Timeout = 90_000)]
    public async Task A_session_crashed_while_its_input_is_held_runs_every_line()
    {
        await using var node = await TestNode.StartAsync("""
            actornet.listeners.chat { bind = "127.0.0.1:0", handler = irc, line-ending = crlf, max-frame-bytes = 8704 }
            actornet.chat.flood { burst = 5, per-second = 200, max-queued = 4 }
            """, catalog: NodeHandlers.Catalog);
        var chat = node.Endpoint("chat");
        await using var alice = await IrcClient.RegisteredAsync(chat, "alice");
        await using var bob = await IrcClient.RegisteredAsync(chat, "bob");
        await bob.CommandAsync("JOIN #a");
        await alice.SendAsync("JOIN #a");
        await alice.ExpectAsync(" 366 ");
        await bob.SyncAsync();
        var id = node.Runtime.Connections.Snapshot()
            .Single(c => c.Info.Remote is IPEndPoint remote && remote.Equals(alice.Raw.Socket.LocalEndPoint)).Info.Id;
        await alice.Raw.SendAsync(System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 150).Select(i => $"PRIVMSG #a :h{i}\r\n"))));
        for (var crash = 0; crash < 2; crash++)
        {
            await Task.Delay(100); // part of the burst has run, the rest is held (and reads are paused)
            var crashed = await node.Control.CrashAsync($"/user/actornet/listeners/chat/c-{id}/handler");
            Assert.True(crashed.Ok, crashed.Message);
        }

        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"h{i}"), await ChannelLinesAsync(bob, "alice", 150));
        Assert.True(node.Runtime.Connections.TryGet(id, out var entry) && entry.Stats.HandlerRestarts == 2);
        await alice.SyncAsync();
        Assert.DoesNotContain(alice.Seen, l => l.StartsWith("ERROR", StringComparison.Ordinal));
    }

    /// <summary>What a user sees of the channel and the users: NAMES, WHO, TOPIC, MODE, the ban list, WHOIS, LUSERS.</summary>
    private static readonly System.Text.RegularExpressions.Regex Idle = new(@"^(:\S+ 317 \S+ \S+ )\d+ ", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static string IdleSeconds(string line) => Idle.Replace(line, "$1<idle> ");

    internal static async Task<List<string>> QueriesAsync(IrcClient c)
    {
        var lines = new List<string>();
        foreach (var query in new[] { "NAMES #a", "WHO #a", "TOPIC #a", "MODE #a", "MODE #a +b", "WHOIS bob", "WHOIS carol", "LUSERS", "LIST" })
            lines.AddRange((await c.CommandAsync(query))
                .Where(l => !l.Contains(" PRIVMSG ", StringComparison.Ordinal)) // not the talk in #a
                .Select(IdleSeconds)); // WHOIS 317 counts seconds: the same before and after only by luck of the clock
        return lines;
    }

    /// <summary>The texts of the next <paramref name="count"/> PRIVMSGs from <paramref name="from"/> to <paramref name="channel"/>.</summary>
    internal static async Task<List<string>> ChannelLinesAsync(IrcClient c, string from, int count, string channel = "#a")
    {
        var texts = new List<string>();
        var command = $" PRIVMSG {channel} ";
        while (texts.Count < count)
        {
            var line = await c.ExpectAsync(l => l.StartsWith($":{from}!", StringComparison.Ordinal) && l.Contains(command), TimeSpan.FromSeconds(15));
            texts.Add(line[(line.IndexOf(command, StringComparison.Ordinal) + command.Length)..].TrimStart(':'));
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
