using System.Diagnostics;
using System.Text.Json;
using ActorNet.IntegrationTests.Chat;
using ActorNet.IntegrationTests.Support;
using ActorNet.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Browser;

/// <summary>
/// The web chat and the dashboard in a real headless Chromium (Debian package, driven over DevTools). These tests
/// fail, never skip, when Chromium is missing: .ci/run and ./build.sh test install it.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class BrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private WebNode _web = null!;
    private Chromium _browser = null!;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task InitializeAsync()
    {
        _web = await WebNode.StartAsync();
        _browser = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _web.DisposeAsync();
        output.WriteLine($"browser test took {_clock.Elapsed.TotalSeconds:F1} s");
    }

    private static string Js(string text) => JsonSerializer.Serialize(text);

    private async Task<CdpPage> ChatAsync(string nick, string channel)
    {
        var page = await _browser.NewPageAsync($"{_web.Url}/chat");
        await page.WaitForAsync("document.readyState === 'complete' && document.getElementById('nick')");
        await page.EvalAsync($"document.getElementById('nick').value = {Js(nick)}; document.getElementById('join-list').value = {Js(channel)}; document.getElementById('login').requestSubmit(); true");
        await page.WaitForAsync($"[...document.querySelectorAll('#members li')].some(li => li.textContent === {Js(nick)})");
        return page;
    }

    private static Task SayAsync(CdpPage page, string text) =>
        page.EvalAsync($"document.getElementById('text').value = {Js(text)}; document.getElementById('send').requestSubmit(); true");

    private static Task SeesAsync(CdpPage page, string text) =>
        page.WaitForAsync($"document.getElementById('messages').innerText.includes({Js(text)})");

    private static Task HasMemberAsync(CdpPage page, string nick) =>
        page.WaitForAsync($"[...document.querySelectorAll('#members li')].some(li => li.textContent === {Js(nick)})");

    private async Task<CdpPage> DashboardAsync()
    {
        var page = await _browser.NewPageAsync($"{_web.Url}/");
        await page.WaitForAsync("document.getElementById('summary').textContent.startsWith('locked')");
        Assert.False((await page.EvalAsync("document.body.classList.contains('authed')"))!.GetValue<bool>());
        Assert.False((await page.EvalAsync("!!document.querySelector('[data-listener]')"))!.GetValue<bool>()); // nothing shown before the token
        Assert.False((await page.EvalAsync("document.getElementById('toxic-form').offsetParent !== null"))!.GetValue<bool>());
        await page.EvalAsync($"document.getElementById('token').value = {Js(WebNode.Token)}; document.getElementById('login').requestSubmit(); true");
        await page.WaitForAsync("document.body.classList.contains('authed') && document.getElementById('toxic-form').offsetParent !== null");
        await page.WaitForAsync("document.querySelector('[data-listener=\"echo\"]')");
        return page;
    }

    [Fact(Timeout = 60_000)]
    public async Task Two_browser_pages_and_an_irc_client_chat_in_one_channel()
    {
        var alice = await ChatAsync("alice", "#web");
        var bob = await ChatAsync("bob", "#web");
        await using var carol = await IrcClient.RegisteredAsync(_web.Endpoint("chat"), "carol");
        await carol.SendAsync("JOIN #web");
        await carol.ExpectAsync(l => l.Contains(" 366 carol #web "));
        await HasMemberAsync(alice, "bob");
        await HasMemberAsync(alice, "carol");
        await HasMemberAsync(bob, "carol");

        await SayAsync(alice, "hello from alice");
        await SeesAsync(bob, "hello from alice");
        await carol.ExpectAsync(l => l.EndsWith(" PRIVMSG #web :hello from alice") && l.StartsWith(":alice!"));

        await SayAsync(bob, "bob here ✓");
        await SeesAsync(alice, "bob here ✓");
        await carol.ExpectAsync(l => l.EndsWith(" PRIVMSG #web :bob here ✓") && l.StartsWith(":bob!"));

        await carol.SendAsync("PRIVMSG #web :carol over tcp");
        await SeesAsync(alice, "carol over tcp");
        await SeesAsync(bob, "carol over tcp");
        Directory.CreateDirectory(RepoPaths.File("artifacts/screenshots"));
        await File.WriteAllBytesAsync(RepoPaths.File("artifacts/screenshots/chat.png"), await alice.ScreenshotAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task The_chat_page_reconnects_and_rejoins_after_its_connection_is_killed()
    {
        var alice = await ChatAsync("alice", "#back");
        var id = _web.Node.Runtime.Connections.Snapshot().Single(c => c.Info.Listener == "web").Info.Id;
        Assert.True((await _web.Node.Control.KillConnectionAsync(id, ActorNet.Faults.KillMode.Close)).Ok);
        await alice.WaitForAsync("document.getElementById('state').textContent.startsWith('disconnected')");
        await alice.WaitForAsync("document.getElementById('state').textContent === 'connected as alice'");
        await using var carol = await IrcClient.RegisteredAsync(_web.Endpoint("chat"), "carol");
        await carol.SendAsync("JOIN #back");
        await carol.ExpectAsync(l => l.Contains(" 353 carol ") && l.Contains("alice"));
        await carol.SendAsync("PRIVMSG #back :welcome back");
        await SeesAsync(alice, "welcome back");
    }

    [Fact(Timeout = 60_000)]
    public async Task Killing_a_connection_on_the_dashboard_removes_it_and_disconnects_its_client()
    {
        var page = await DashboardAsync();
        var clients = new List<CountingClient>();
        for (var i = 0; i < 3; i++) clients.Add(await _web.Node.ConnectAsync("echo", $"load-{i}"));
        using var stop = new CancellationTokenSource();
        var load = clients.Skip(1).Select(c => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && await c.ExchangeAsync(20)) await Task.Delay(20);
        })).ToList();
        await using var carol = await IrcClient.RegisteredAsync(_web.Endpoint("chat"), "carol");
        await carol.SendAsync("JOIN #ops");
        var victim = clients[0];
        Assert.True(await victim.ExchangeAsync(5));
        var id = await _web.Node.ConnectionIdOfAsync(victim);

        await page.WaitForAsync($"document.querySelector('[data-conn=\"{id}\"]') && Number(document.getElementById('msg-now').textContent) > 0");
        await Task.Delay(TimeSpan.FromSeconds(6)); // a few chart points under load
        Directory.CreateDirectory(RepoPaths.File("artifacts/screenshots"));
        await File.WriteAllBytesAsync(RepoPaths.File("artifacts/screenshots/dashboard.png"), await page.ScreenshotAsync());

        await page.EvalAsync("document.getElementById('kill-mode').value = 'reset'; true");
        await page.EvalAsync($"document.querySelector('[data-kill-conn=\"{id}\"]').click(); true");
        await page.WaitForAsync($"!document.querySelector('[data-conn=\"{id}\"]')");
        Assert.True(await victim.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain(_web.Node.Runtime.Connections.Snapshot(), c => c.Info.Id == id);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        foreach (var c in clients) await c.DisposeAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task The_unlocked_dashboard_follows_live_events_instead_of_polling()
    {
        var page = await DashboardAsync();
        await page.WaitForAsync("document.getElementById('log').innerText.includes('following live events')");
        await using var client = await _web.Node.ConnectAsync("echo", "evented");
        var id = await _web.Node.ConnectionIdOfAsync(client);
        await page.WaitForAsync($"document.querySelector('[data-conn=\"{id}\"]')"); // the opened event refreshed the tree
        var path = $"/user/actornet/listeners/echo/c-{id}/handler";
        Assert.True((await _web.Node.Control.CrashAsync(path)).Ok);
        await page.WaitForAsync($"[...document.querySelectorAll('#log div')].some(d => d.textContent.includes('actor-failed') && d.textContent.includes({Js(path + ": restart")}))");
        await page.WaitForAsync($"document.querySelector('[data-conn=\"{id}\"] .restarts')"); // ↻ 1 restart
    }

    [Fact(Timeout = 60_000)]
    public async Task A_toxic_added_on_the_dashboard_shows_up_in_the_admin_api_and_can_be_removed()
    {
        var page = await DashboardAsync();
        await page.EvalAsync("""
            document.getElementById('toxic-name').value = 'slowweb';
            document.getElementById('toxic-type').value = 'latency';
            document.getElementById('toxic-listener').value = 'echo';
            document.getElementById('toxic-params').value = 'latency=150ms jitter=10ms';
            document.getElementById('toxic-form').requestSubmit(); true
            """);
        await page.WaitForAsync("document.querySelector('[data-toxic=\"slowweb\"]')");
        using (var toxics = JsonDocument.Parse(await _web.Http.GetStringAsync("/toxics")))
        {
            var toxic = toxics.RootElement.GetProperty("data").EnumerateArray().Single();
            Assert.Equal("slowweb", toxic.GetProperty("name").GetString());
            Assert.Equal("latency", toxic.GetProperty("type").GetString());
            Assert.Equal("echo", toxic.GetProperty("listener").GetString());
        }

        using (var status = JsonDocument.Parse(await _web.Http.GetStringAsync("/status")))
            Assert.Equal(["slowweb"], status.RootElement.GetProperty("toxics").EnumerateArray().Select(t => t.GetString()));

        await page.EvalAsync("document.querySelector('[data-remove-toxic=\"slowweb\"]').click(); true");
        await page.WaitForAsync("!document.querySelector('[data-toxic=\"slowweb\"]')");
        using var after = JsonDocument.Parse(await _web.Http.GetStringAsync("/toxics"));
        Assert.Empty(after.RootElement.GetProperty("data").EnumerateArray());
        using var statusAfter = JsonDocument.Parse(await _web.Http.GetStringAsync("/status"));
        Assert.Empty(statusAfter.RootElement.GetProperty("toxics").EnumerateArray());
    }

    [Fact(Timeout = 60_000)]
    public async Task Chaos_starts_with_the_seed_from_the_page_and_stops()
    {
        var page = await DashboardAsync();
        await page.EvalAsync("document.getElementById('chaos-seed').value = '1234'; document.getElementById('chaos-start').click(); true");
        await page.WaitForAsync("document.getElementById('chaos').innerText.startsWith('running') && document.getElementById('chaos').innerText.includes('seed 1234')");
        using (var chaos = JsonDocument.Parse(await _web.Http.GetStringAsync("/chaos")))
            Assert.True(chaos.RootElement.GetProperty("data").GetProperty("running").GetBoolean());
        await page.EvalAsync("document.getElementById('chaos-stop').click(); true");
        await page.WaitForAsync("document.getElementById('chaos').innerText.startsWith('stopped')");
    }
}
