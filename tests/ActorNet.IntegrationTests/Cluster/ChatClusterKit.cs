using ActorNet.IntegrationTests.Chat;
using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>2-3 in-process clustered nodes, each with an IRC listener called "chat"; helpers to wait (bounded) until
/// the chat services see each other.</summary>
internal sealed class ChatClusterKit : IAsyncDisposable
{
    public const string ChatListener = """
        chat {
          bind = "127.0.0.1:0"
          handler = irc
          line-ending = crlf
          max-frame-bytes = 8704
          options {
            server-name = irc.test
            opers { root = "pbkdf2-sha256$10000$YWN0b3JuZXQtdGVzdC0wMQ==$ddqRXnMzEgzCim+F6qmCbkNyyu5Eku8YKLQTlVarl1w=" }   # OPER root rootpw
            flood { burst = 10000, per-second = 10000, max-queued = 10000 }
          }
        }
        """;

    private readonly List<IAsyncDisposable> _owned = new();

    private readonly List<ClusterNode> _nodes;
    private readonly int _seedPort;

    private readonly string _extraHocon;

    private ChatClusterKit(List<ClusterNode> nodes, int seedPort, string extraHocon)
    {
        _nodes = nodes;
        _seedPort = seedPort;
        _extraHocon = extraHocon;
    }

    public IReadOnlyList<ClusterNode> Nodes => _nodes;

    /// <summary>Starts one more node that joins through the first node's seed; waits until it sees <paramref name="members"/> Up.</summary>
    public async Task<ClusterNode> AddNodeAsync(string name, int members)
    {
        var node = await ClusterNode.StartAsync(ClusterNode.Config(name, 0, _seedPort, ChatListener) + "\n" + ChatJsonGuard.Hocon + "\n" + _extraHocon);
        _nodes.Add(node);
        await node.AwaitMembersUpAsync(members, TimeSpan.FromSeconds(30));
        return node;
    }

    /// <summary>Starts <paramref name="count"/> nodes (and, later, <see cref="AddNodeAsync"/>'s) with
    /// <paramref name="extraHocon"/> after their config.</summary>
    public static async Task<ChatClusterKit> StartAsync(int count, string extraHocon = "")
    {
        var seedPort = FreePort.Next();
        var nodes = new List<ClusterNode>();
        for (var i = 0; i < count; i++)
        {
            var name = "node-" + (char)('a' + i);
            nodes.Add(await ClusterNode.StartAsync(ClusterNode.Config(name, i == 0 ? seedPort : 0, seedPort, ChatListener) + "\n" + ChatJsonGuard.Hocon + "\n" + extraHocon));
        }

        foreach (var node in nodes) await node.AwaitMembersUpAsync(count, TimeSpan.FromSeconds(30));
        return new ChatClusterKit(nodes, seedPort, extraHocon);
    }

    /// <summary>A registered client on node <paramref name="node"/>; disposed with the kit.</summary>
    public async Task<IrcClient> ClientAsync(int node, string nick)
    {
        var c = await IrcClient.RegisteredAsync(Nodes[node].Bound["chat"], nick);
        _owned.Insert(0, c);
        return c;
    }

    public async Task<IrcClient> ConnectAsync(int node, string nick)
    {
        var c = await IrcClient.ConnectAsync(Nodes[node].Bound["chat"], nick);
        _owned.Insert(0, c);
        return c;
    }

    /// <summary>Polls NAMES on <paramref name="channel"/> until <paramref name="client"/> sees exactly these nicks.</summary>
    /// <summary>Waits until the node process has logged <paramref name="count"/> members Up (itself included).
    /// Before that a member may still be Joining, and the split-brain resolver counts only Up members: a node cut
    /// then can leave an even split, in which the wrong side downs itself.</summary>
    public static async Task AwaitMembersUpAsync(ActorNet.IntegrationTests.EndToEnd.NodeProcess node, int count, TimeSpan timeout)
    {
        var up = new System.Text.RegularExpressions.Regex(@"cluster member (\S+) up ");
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var members = up.Matches(node.Stdout).Select(m => m.Groups[1].Value).Distinct().Count();
            if (members >= count) return;
            Assert.True(DateTime.UtcNow < deadline, $"only {members} of {count} members Up in time");
            await Task.Delay(100);
        }
    }

    public static async Task AwaitNamesAsync(IrcClient client, string channel, params string[] nicks)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var want = nicks.Order(StringComparer.Ordinal).ToArray();
        string[] seen = [];
        while (DateTime.UtcNow < deadline)
        {
            seen = Names(await client.CommandAsync("NAMES " + channel));
            if (seen.SequenceEqual(want)) return;
            await Task.Delay(100);
        }

        Assert.Fail($"{client.Nick} never saw NAMES {channel} = {string.Join(' ', want)}; last: {string.Join(' ', seen)}");
    }

    /// <summary>The nicks (without prefixes) in 353 replies.</summary>
    public static string[] Names(IEnumerable<string> lines) =>
        lines.Where(l => l.Split(' ').ElementAtOrDefault(1) == "353")
            .SelectMany(l => LastParam(l).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(n => n.TrimStart('@', '+')).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The last parameter of a raw IRC line (trailing or not).</summary>
    public static string LastParam(string line)
    {
        var trailing = line.IndexOf(" :", 1, StringComparison.Ordinal);
        return trailing >= 0 ? line[(trailing + 2)..] : line[(line.LastIndexOf(' ') + 1)..];
    }

    /// <summary>A connection that is not registered yet, owned by the caller.</summary>
    public static Task<IrcClient> ConnectOnlyAsync(ClusterNode node, string nick) => IrcClient.ConnectAsync(node.Bound["chat"], nick);

    /// <summary>Sends PRIVMSG probes until one is not answered with 401: <paramref name="nick"/> is known to the client's node.</summary>
    public static async Task AwaitKnownAsync(IrcClient client, string nick)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var replies = await client.CommandAsync($"PRIVMSG {nick} :probe");
            if (!replies.Any(l => l.Split(' ').ElementAtOrDefault(1) == "401")) return;
            Assert.True(DateTime.UtcNow < deadline, $"{nick} never became known to {client.Nick}'s node");
            await Task.Delay(100);
        }
    }

    /// <summary>Registers, re-sending NICK after each 433 until the nick is granted (bounded).</summary>
    public static async Task RegisterWithRetryAsync(IrcClient c, string nick)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        await c.SendAsync($"NICK {nick}");
        await c.SendAsync($"USER {nick} 0 * :{nick}");
        while (true)
        {
            var line = await c.ExpectAsync(l => l.Split(' ').ElementAtOrDefault(1) is "001" or "433", TimeSpan.FromSeconds(30));
            if (line.Split(' ')[1] == "001") return;
            Assert.True(DateTime.UtcNow < deadline, $"{nick} was never granted");
            await Task.Delay(200);
            await c.SendAsync($"NICK {nick}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _owned) await c.DisposeAsync();
        foreach (var node in Nodes.Reverse()) await node.DisposeAsync();
    }
}
