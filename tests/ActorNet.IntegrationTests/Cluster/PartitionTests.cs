using System.Net;
using System.Text.RegularExpressions;
using ActorNet.IntegrationTests.Chat;
using ActorNet.IntegrationTests.EndToEnd;
using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>
/// Issue 17 item 6: three actornet processes, each in its own network namespace on a private bridge, chat in one
/// channel; node-c's link is dropped (not its process killed). The split-brain resolver (keep-majority) downs
/// node-c on the majority side, whose users see its user quit, while node-c, alone, downs itself and exits; after
/// the link heals, a restarted node-c joins again and chats with the others.
/// </summary>
[Collection(ActornetProcessCollection.Name)]
public sealed class PartitionTests(ActornetBinary binary) : IDisposable
{
    private const int RemotingPort = 4053; // each namespace has its own ports: fixed ones cannot collide
    private const int IrcPort = 6667;
    private readonly TempDirectory _dir = new();

    private static string Config(string name, NetworkNamespaces net, int i) => $$"""
        actornet {
          node.name = "{{name}}"
          cluster {
            enabled = on
            name = "partition"
            hostname = "{{net.Address(i)}}"
            port = {{RemotingPort}}
            seed-nodes = [{{string.Join(", ", Enumerable.Range(0, 3).Select(n => $"\"{net.Address(n)}:{RemotingPort}\""))}}]
            down-after = 3s
          }
          listeners.chat { bind = "127.0.0.1:{{IrcPort}}", handler = irc, line-ending = crlf, max-frame-bytes = 8704 }
          chat.server-name = "{{name}}.irc.test"
        }
        akka.log-dead-letters = off
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s
        """;

    [Fact(Timeout = 240_000)]
    public async Task A_node_cut_off_by_its_link_is_downed_its_users_quit_on_the_majority_and_it_rejoins_after_healing()
    {
        // No skip: a machine where namespaces cannot be made fails here, saying why.
        using var net = NetworkNamespaces.Create(3);
        var names = new[] { "node-a", "node-b", "node-c" };
        var nodes = new NodeProcess?[3];
        var clients = new List<IrcClient>();
        var ready = new Regex(@"listener chat bound tcp 127\.0\.0\.1:" + IrcPort);

        NodeProcess Start(int i) => NodeProcess.Start(net.Inside(i,
            binary.StartInfo(_dir.Path, "run", "--config", _dir.Write(names[i] + ".conf", Config(names[i], net, i)))));

        async Task<IrcClient> Join(int i, string nick)
        {
            var client = await IrcClient.RegisteredAsync(net.ConnectFrom(i, new IPEndPoint(IPAddress.Loopback, IrcPort)), nick);
            clients.Add(client);
            await client.CommandAsync("JOIN #split");
            return client;
        }

        try
        {
            for (var i = 0; i < 3; i++) nodes[i] = Start(i);
            for (var i = 0; i < 3; i++) await nodes[i]!.WaitForStdoutAsync(ready, TimeSpan.FromSeconds(60));
            var alice = await Join(0, "alice");
            var bob = await Join(1, "bob");
            var carol = await Join(2, "carol");
            foreach (var c in new[] { alice, bob, carol }) await ChatClusterKit.AwaitNamesAsync(c, "#split", "alice", "bob", "carol");
            await carol.SendAsync("PRIVMSG #split :before the cut");
            Assert.StartsWith(":carol!", await alice.ExpectAsync(" PRIVMSG #split :before the cut"));

            foreach (var node in nodes) await ChatClusterKit.AwaitMembersUpAsync(node!, 3, TimeSpan.FromSeconds(60));
            net.Cut(2);

            // The majority (a, b) downs c: c's user quits for them, naming the node.
            foreach (var c in new[] { alice, bob })
            {
                var quit = await c.ExpectAsync(l => l.StartsWith(":carol!", StringComparison.Ordinal) && l.Contains(" QUIT "), TimeSpan.FromSeconds(60));
                Assert.Contains("Node lost: node-c", quit);
            }

            await alice.SendAsync("PRIVMSG #split :the majority goes on");
            Assert.StartsWith(":alice!", await bob.ExpectAsync(" PRIVMSG #split :the majority goes on"));
            // The minority (c alone) downs itself: its ActorSystem shuts down (run-coordinated-shutdown-when-down)
            // and the process exits by itself, closing carol's connection, with 1 and the reason: a stop Akka decided is
            // a failure to whoever supervises the process, who restarts it (as this test does below).
            await nodes[2]!.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(nodes[2]!.ExitCode == 1 && nodes[2]!.Stderr.Contains("was stopped by Akka: ClusterDowningReason"), nodes[2]!.Describe());
            Assert.True(await carol.ClosedAsync(), "carol's connection is closed with her node");

            net.Heal(2);
            nodes[2]!.Dispose();
            nodes[2] = Start(2); // a downed member comes back as a new incarnation
            await nodes[2]!.WaitForStdoutAsync(ready, TimeSpan.FromSeconds(60));
            var carol2 = await Join(2, "carol");
            await ChatClusterKit.AwaitNamesAsync(alice, "#split", "alice", "bob", "carol");
            await carol2.SendAsync("PRIVMSG #split :back after healing");
            Assert.StartsWith(":carol!", await alice.ExpectAsync(l => l.Contains(" PRIVMSG #split :back after healing"), TimeSpan.FromSeconds(30)));
            await bob.SendAsync("PRIVMSG #split :welcome back");
            Assert.StartsWith(":bob!", await carol2.ExpectAsync(l => l.Contains(" PRIVMSG #split :welcome back"), TimeSpan.FromSeconds(30)));
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException(e.Message + "\n" + string.Join("\n---\n", nodes.Where(n => n is not null).Select(n => n!.Describe())));
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
            foreach (var node in nodes) node?.Dispose();
        }
    }

    public void Dispose() => _dir.Dispose();
}
