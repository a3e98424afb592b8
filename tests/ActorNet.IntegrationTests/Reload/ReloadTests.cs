using ActorNet.Admin;
using ActorNet.Config;
using ActorNet.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Reload;

/// <summary>Live reload in process: the node re-reads a config held in a string (as it would re-read its file).</summary>
public sealed class ReloadTests(ITestOutputHelper output) : NodeTestKit(output)
{
    private const string Echo = "echo { transport = tcp, bind = \"127.0.0.1:0\", handler = echo }";
    private const string Other = "other { transport = tcp, bind = \"127.0.0.1:0\", handler = echo }";

    private string _file = Conf(Echo);

    private static string Conf(params string[] listeners) => $"actornet.node.name = reload-test\nactornet.listeners {{ {string.Join("\n", listeners)} }}";

    private ReloadInput Read()
    {
        var (config, errors) = ConfigSource.Parse(_file);
        if (config is null) return new ReloadInput(null, errors.Select(e => e.ToString()).ToList());
        var loaded = NodeSettingsLoader.Load(config);
        return new ReloadInput(loaded.Settings, loaded.Errors.Select(e => e.ToString()).ToList());
    }

    private async Task<IReadOnlyDictionary<string, System.Net.IPEndPoint>> Start()
    {
        var settings = Read().Settings!;
        Guardian = ActorNetNode.Start(Sys, settings, ActorNet.Node.Hosting.NodeHandlers.Catalog, Read);
        var bound = await ActorNetNode.WaitForBindingsAsync(Guardian, settings, TimeSpan.FromSeconds(10));
        return bound.ToDictionary(b => b.Key, b => (System.Net.IPEndPoint)b.Value);
    }

    private Task<AdminResult> Reload(bool dryRun = false) => new NodeControl(Sys).ReloadAsync(dryRun, "test");

    [Fact(Timeout = 30_000)]
    public async Task An_added_listener_is_bound_and_a_removed_one_drains_while_others_are_untouched()
    {
        var bound = await Start();
        await using var client = await LineClient.ConnectAsync(bound["echo"]);
        await client.SendLineAsync("before");
        Assert.Equal("before", await client.ReadLineAsync());

        _file = Conf(Echo, Other);
        var dry = await Reload(dryRun: true);
        Assert.True(dry.Ok, dry.Message);
        Assert.Contains("+ listener other", dry.Message);
        var added = await Reload();
        Assert.True(added.Ok, added.Message);
        var other = await AwaitBoundAsync("other");
        await using var second = await LineClient.ConnectAsync(other);
        await second.SendLineAsync("new");
        Assert.Equal("new", await second.ReadLineAsync());
        await client.SendLineAsync("still here"); // the unchanged listener's client noticed nothing
        Assert.Equal("still here", await client.ReadLineAsync());

        _file = Conf(Echo);
        Assert.True((await Reload()).Ok);
        Assert.Equal("error: server shutting down", await second.ReadLineAsync()); // the drain line of a listener that unbinds
        Assert.Null(await second.ReadLineAsync());
        await AwaitAssertAsync(async () => Assert.False((await Bindings()).ContainsKey("other")), TimeSpan.FromSeconds(10));
        await client.SendLineAsync("after");
        Assert.Equal("after", await client.ReadLineAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task A_broken_edit_is_refused_with_its_errors_and_the_old_config_stays()
    {
        var bound = await Start();
        _file = Conf(Echo, "other { transport = tcp, bind = \"127.0.0.1:0\", handler = nope }");
        var refused = await Reload();
        Assert.Equal(AdminOutcome.BadRequest, refused.Outcome);
        Assert.Contains("actornet.listeners.other.handler", refused.Message);
        Assert.False((await Bindings()).ContainsKey("other"));

        _file = Conf(Echo).Replace("reload-test", "renamed");
        var immutable = await Reload();
        Assert.Equal(AdminOutcome.Conflict, immutable.Outcome);
        Assert.Contains("actornet.node.name", immutable.Message);

        await using var client = await LineClient.ConnectAsync(bound["echo"]);
        await client.SendLineAsync("ok");
        Assert.Equal("ok", await client.ReadLineAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task A_changed_MOTD_is_seen_by_the_next_client_while_the_first_keeps_talking()
    {
        const string Chat = "chat { transport = tcp, bind = \"127.0.0.1:0\", handler = irc, framing = line, line-ending = crlf }";
        _file = Conf(Chat) + "\nactornet.chat.motd = \"first motd\"";
        var bound = await Start();
        await using var alice = await ActorNet.IntegrationTests.Chat.IrcClient.RegisteredAsync(bound["chat"], "alice");
        Assert.Contains(alice.Seen, l => l.Contains("first motd"));

        _file = Conf(Chat) + "\nactornet.chat.motd = \"second motd\"";
        var reloaded = await Reload();
        Assert.True(reloaded.Ok, reloaded.Message);
        Assert.Contains("actornet.chat", reloaded.Message);
        await using var bob = await ActorNet.IntegrationTests.Chat.IrcClient.RegisteredAsync(bound["chat"], "bob");
        Assert.Contains(bob.Seen, l => l.Contains("second motd"));

        await alice.SendAsync("PING :still");
        await alice.ExpectAsync(l => l.Contains("PONG") && l.Contains("still"));
    }
}
