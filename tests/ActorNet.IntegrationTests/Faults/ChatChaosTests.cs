using System.Collections.Concurrent;
using ActorNet.Faults;
using ActorNet.IntegrationTests.Chat;
using ActorNet.Node.Hosting;
using ActorNet.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>
/// A seeded chaos run over chat that draws services (the chat service, its children, every channel actor) as well as
/// connections (closed or crashed), while 100 IRC clients in 5 channels talk: every survivor is intact — it got every
/// line of every surviving peer of its channel, in order, once, and a gap-free prefix of every peer that was killed;
/// NAMES lists exactly the survivors; nicks stay unique. ACTORNET_CHAOS_SECONDS shortens or lengthens the talk
/// (default 20, at most 60).
/// </summary>
[Collection(ActorNet.IntegrationTests.Support.SerialCollection.Name)]
public sealed class ChatChaosTests(ITestOutputHelper output)
{
    private const int Clients = 100, Channels = 5, Lines = 30;

    [Fact(Timeout = 180_000)]
    public async Task Chaos_over_chat_services_and_connections_leaves_every_survivor_intact()
    {
        var seconds = Math.Clamp(int.TryParse(Environment.GetEnvironmentVariable("ACTORNET_CHAOS_SECONDS"), out var s) ? s : 20, 5, 60);
        await using var node = await TestNode.StartAsync("""
            actornet {
              listeners.chat { bind = "127.0.0.1:0", handler = irc, line-ending = crlf, max-frame-bytes = 8704 }
              chat.flood { burst = 1000, per-second = 1000, max-queued = 1000 }
              faults.chaos { seed = 4242, interval = 150ms, probability = 0.5, modes = [close, crash], listeners = [chat], targets = [connections, services] }
            }
            """, catalog: NodeHandlers.Catalog);
        var chat = node.Endpoint("chat");
        var clients = new List<IrcClient>();
        for (var i = 0; i < Clients; i++)
        {
            var c = await IrcClient.RegisteredAsync(chat, "u" + i);
            await c.SendAsync($"JOIN #c{i % Channels}");
            await c.ExpectAsync(" 366 ");
            clients.Add(c);
        }

        foreach (var c in clients) await c.SyncAsync();
        var heard = clients.Select(_ => new ConcurrentQueue<string>()).ToArray();
        var closed = new bool[Clients];
        var flushed = clients.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var readers = clients.Select((c, i) => Task.Run(async () =>
        {
            while (true)
            {
                var line = await c.Raw.ReadLineAsync(TimeSpan.FromSeconds(150));
                if (line is null)
                {
                    closed[i] = true;
                    flushed[i].TrySetResult();
                    return;
                }

                if (line.Contains(" PRIVMSG #", StringComparison.Ordinal)) heard[i].Enqueue(line);
                else if (line.Contains(" PONG ", StringComparison.Ordinal) && line.EndsWith("flushed", StringComparison.Ordinal)) flushed[i].TrySetResult();
                else if (line.Contains(" PONG ", StringComparison.Ordinal) && line.EndsWith("done", StringComparison.Ordinal)) return;
            }
        })).ToList();

        var started = await node.Control.StartChaosAsync(new ChaosMonkey.Start());
        Assert.True(started.Ok, started.Message);
        var pause = TimeSpan.FromMilliseconds(seconds * 1000 / Lines);
        var senders = clients.Select((c, i) => Task.Run(async () =>
        {
            for (var j = 0; j < Lines; j++)
            {
                try
                {
                    await c.SendAsync($"PRIVMSG #c{i % Channels} :{j}");
                }
                catch (Exception)
                {
                    return; // killed
                }

                await Task.Delay(pause);
            }
        })).ToList();
        await Task.WhenAll(senders);
        var status = (ChaosMonkey.Status)(await node.Control.StopChaosAsync()).Data!;
        // Every client's lines have reached its channel once its PONG "flushed" is back; what the channels sent on is
        // then on its way before each client's PONG "done", which ends its reader.
        await PingAllAsync(clients, "flushed");
        await Task.WhenAll(flushed.Select(f => f.Task)).WaitAsync(TimeSpan.FromSeconds(30));
        await PingAllAsync(clients, "done");
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30));

        var survivors = Enumerable.Range(0, Clients).Where(i => !closed[i]).ToHashSet();
        output.WriteLine($"seed {status.Seed}: {status.Draws} draws, {status.Kills} kills, {Clients - survivors.Count} clients closed, " +
                         $"{node.Runtime.Metrics.For("chat").HandlerRestarts} session restarts");
        Assert.True(status.Kills > 0 && survivors.Count > 0);
        foreach (var r in survivors)
        {
            var byPeer = heard[r].Select(l => (Nick: l[1..l.IndexOf('!')], Text: l[(l.LastIndexOf(' ') + 1)..].TrimStart(':')))
                .GroupBy(x => x.Nick).ToDictionary(g => g.Key, g => g.Select(x => int.Parse(x.Text)).ToList());
            for (var p = r % Channels; p < Clients; p += Channels)
            {
                if (p == r) continue;
                var got = byPeer.GetValueOrDefault("u" + p) ?? [];
                Assert.True(got.SequenceEqual(Enumerable.Range(0, got.Count)), $"u{r} heard u{p} out of order or with gaps: {string.Join(',', got)}");
                if (survivors.Contains(p)) Assert.True(got.Count == Lines, $"u{r} heard {got.Count} of {Lines} lines of surviving u{p}");
            }
        }

        // NAMES lists exactly the survivors; a survivor's nick is still taken
        var probe = clients[survivors.First()];
        for (var k = 0; k < Channels; k++)
        {
            var names = (await probe.CommandAsync($"NAMES #c{k}")).Where(l => l.Contains(" 353 ")).SelectMany(l => l[(l.LastIndexOf(" :", StringComparison.Ordinal) + 2)..].Split(' '))
                .Select(n => n.TrimStart('@', '+')).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(survivors.Where(i => i % Channels == k).Select(i => "u" + i).Order(StringComparer.Ordinal), names);
        }

        await using var late = await IrcClient.ConnectAsync(chat, "late");
        await late.SendAsync("NICK u" + survivors.Last());
        await late.SendAsync("USER late 0 * :late");
        await late.ExpectAsync(" 433 ");
        foreach (var c in clients) await c.DisposeAsync();
    }

    private static async Task PingAllAsync(IEnumerable<IrcClient> clients, string token)
    {
        foreach (var c in clients)
        {
            try
            {
                await c.SendAsync("PING " + token);
            }
            catch (Exception)
            {
                // killed: its reader has ended (or will, on the close)
            }
        }
    }
}
