using System.Net;
using ActorNet.Faults;
using ActorNet.IntegrationTests.Chat;
using ActorNet.Node.Hosting;
using ActorNet.Testing;
using Xunit;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>mode=crash on a chat session: the socket stays, the session restarts and recovers its nick and
/// channels, and neither the crashed client nor its channel peer sees a disconnect.</summary>
public sealed class ChatCrashTests
{
    private const string ChatNode = """
        actornet.listeners.chat {
          bind = "127.0.0.1:0", handler = irc, line-ending = crlf, max-frame-bytes = 8704
        }
        actornet.chat.flood { burst = 1000, per-second = 1000 }
        """;

    [Fact(Timeout = 60_000)]
    public async Task Crashed_chat_session_keeps_socket_nick_and_channels()
    {
        await using var node = await TestNode.StartAsync(ChatNode, catalog: NodeHandlers.Catalog);
        await using var alice = await IrcClient.RegisteredAsync(node.Endpoint("chat"), "alice");
        await using var bob = await IrcClient.RegisteredAsync(node.Endpoint("chat"), "bob");
        await alice.SendAsync("JOIN #crash");
        await alice.ExpectAsync(" 366 ");
        await bob.SendAsync("JOIN #crash");
        await bob.ExpectAsync(" 366 ");
        await alice.ExpectAsync("JOIN");

        var id = node.Runtime.Connections.Snapshot()
            .Single(c => c.Info.Remote is IPEndPoint remote && remote.Equals(alice.Raw.Socket.LocalEndPoint)).Info.Id;
        Assert.True((await node.Control.KillConnectionAsync(id, KillMode.Crash)).Ok);
        await AwaitRestartAsync(node, id);

        // same socket, same nick, still on the channel: both directions work and nobody saw a QUIT or ERROR
        await alice.SendAsync("PRIVMSG #crash :after the crash");
        var heard = await bob.ExpectAsync("after the crash");
        Assert.StartsWith(":alice!", heard);
        await bob.SendAsync("PRIVMSG alice :still there?");
        Assert.Contains("still there?", await alice.ExpectAsync("PRIVMSG alice"));
        var names = await alice.CommandAsync("NAMES #crash");
        Assert.Contains(names, l => l.Contains(" 353 ") && l.Contains("alice") && l.Contains("bob"));
        Assert.DoesNotContain(bob.Seen, l => l.Contains("QUIT", StringComparison.Ordinal));
        Assert.DoesNotContain(alice.Seen, l => l.StartsWith("ERROR", StringComparison.Ordinal));
    }

    private static async Task AwaitRestartAsync(TestNode node, long id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (node.Runtime.Connections.Snapshot().Single(c => c.Info.Id == id).Stats.HandlerRestarts < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the session was not restarted");
            await Task.Delay(20);
        }
    }
}
