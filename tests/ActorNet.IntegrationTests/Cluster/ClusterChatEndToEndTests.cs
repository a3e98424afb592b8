using System.Net;
using System.Text.RegularExpressions;
using ActorNet.IntegrationTests.Chat;
using ActorNet.IntegrationTests.EndToEnd;
using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>Three published actornet processes with a chat listener each: a channel message crosses all three; one
/// process is SIGKILLed, its user quits on the others naming the node, and the survivors keep chatting.</summary>
[Collection(ActornetProcessCollection.Name)]
public sealed class ClusterChatEndToEndTests(ActornetBinary binary) : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string Config(string name, int port, IEnumerable<int> seeds) =>
        RelayProbe.ProcessConfig(name, "e2e-chat", port, seeds,
            """chat { bind = "127.0.0.1:0", handler = irc, line-ending = crlf, max-frame-bytes = 8704 }""",
            $"chat.server-name = \"{name}.irc.test\"");

    [Fact(Timeout = 150_000)]
    public async Task A_channel_message_crosses_three_processes_and_a_SIGKILLed_node_s_user_quits_on_the_others()
    {
        var ports = new[] { FreePort.Next(), FreePort.Next(), FreePort.Next() };
        var nodes = new List<NodeProcess>();
        var clients = new List<IrcClient>();
        try
        {
            foreach (var (name, port) in new[] { "node-a", "node-b", "node-c" }.Zip(ports))
                nodes.Add(NodeProcess.Start(binary.StartInfo(_dir.Path, "run", "--config", _dir.Write(name + ".conf", Config(name, port, ports)))));

            var bound = new Regex(@"listener chat bound tcp 127\.0\.0\.1:(?<port>\d+)");
            foreach (var (node, nick) in nodes.Zip(new[] { "alice", "bob", "carol" }))
            {
                var match = await node.WaitForStdoutAsync(bound, TimeSpan.FromSeconds(30));
                clients.Add(await IrcClient.RegisteredAsync(new IPEndPoint(IPAddress.Loopback, int.Parse(match.Groups["port"].Value)), nick));
            }

            var (alice, bob, carol) = (clients[0], clients[1], clients[2]);
            foreach (var c in clients) await c.CommandAsync("JOIN #e2e");
            foreach (var c in clients) await ChatClusterKit.AwaitNamesAsync(c, "#e2e", "alice", "bob", "carol");

            await bob.SendAsync("PRIVMSG #e2e :crossing the cluster");
            Assert.StartsWith(":bob!", await alice.ExpectAsync(" PRIVMSG #e2e :crossing the cluster"));
            Assert.StartsWith(":bob!", await carol.ExpectAsync(" PRIVMSG #e2e :crossing the cluster"));

            foreach (var node in nodes) await ChatClusterKit.AwaitMembersUpAsync(node, 3, TimeSpan.FromSeconds(60));
            nodes[2].Kill(); // SIGKILL: no goodbye to the cluster
            foreach (var c in new[] { alice, bob })
            {
                var quit = await c.ExpectAsync(l => l.StartsWith(":carol!", StringComparison.Ordinal) && l.Contains(" QUIT "), TimeSpan.FromSeconds(45));
                Assert.Contains("Node lost: node-c", quit);
            }

            await alice.SendAsync("PRIVMSG #e2e :still chatting");
            Assert.StartsWith(":alice!", await bob.ExpectAsync(" PRIVMSG #e2e :still chatting"));
            await ChatClusterKit.AwaitNamesAsync(bob, "#e2e", "alice", "bob");

            foreach (var survivor in nodes.Take(2)) survivor.SendSigterm();
            foreach (var survivor in nodes.Take(2))
            {
                await survivor.WaitForExitAsync(TimeSpan.FromSeconds(30));
                Assert.True(survivor.ExitCode == 0, survivor.Describe());
            }
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException(e.Message + "\n" + string.Join("\n---\n", nodes.Select(n => n.Describe())));
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
            foreach (var node in nodes) node.Dispose();
        }
    }

    public void Dispose() => _dir.Dispose();
}
