using ActorNet.IntegrationTests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Chat;

public sealed class IrcRegistrationTests(ITestOutputHelper output) : ChatNodeTestKit(output)
{
    [Fact(Timeout = 30_000)]
    public async Task Plain_registration_gets_the_welcome_burst()
    {
        var ep = await StartChatAsync();
        await using var c = await IrcClient.ConnectAsync(ep, "alice");
        await c.SendAsync("NICK alice");
        await c.SendAsync("USER alice 0 * :Alice");
        Assert.Equal(":irc.test 001 alice :Welcome to the TestNet Internet Relay Chat Network alice!~alice@127.0.0.1", await c.ReadAsync());
        await c.ExpectAsync(" 376 alice ");
        foreach (var code in new[] { "002", "003", "004", "005", "251", "255", "265", "266", "375", "372" }) IrcAssert.HasNumeric(c.Seen, code);
        Assert.Contains(c.Seen, l => l.Contains("NETWORK=TestNet"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Cap_first_registration_waits_for_cap_end()
    {
        var ep = await StartChatAsync();
        await using var c = await IrcClient.ConnectAsync(ep, "bob");
        await c.SendAsync("CAP LS 302");
        await c.SendAsync("NICK bob");
        await c.SendAsync("USER bob 0 * :Bob");
        Assert.Equal(":irc.test CAP * LS :away-notify batch cap-notify echo-message extended-monitor invite-notify labeled-response message-tags multi-prefix server-time setname userhost-in-names", await c.ReadAsync());
        await c.SendAsync("CAP REQ :multi-prefix server-time");
        Assert.Equal(":irc.test CAP bob ACK :multi-prefix server-time", await c.ReadAsync());
        await c.SendAsync("PING held");
        Assert.Equal(":irc.test PONG irc.test held", await c.ReadAsync()); // no 001 before CAP END
        await c.SendAsync("CAP END");
        Assert.StartsWith(":irc.test 001 bob ", await c.ReadAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Nick_collision_and_change_are_seen_by_channel_peers()
    {
        var ep = await StartChatAsync();
        await using var a = await IrcClient.RegisteredAsync(ep, "alice");
        await using var dup = await IrcClient.ConnectAsync(ep, "ALICE");
        await dup.SendAsync("NICK ALICE");
        await dup.SendAsync("USER x 0 * :x");
        Assert.Equal(":irc.test 433 * ALICE :Nickname is already in use", await dup.ReadAsync());
        await dup.SendAsync("NICK carol");
        await dup.ExpectAsync(" 001 carol ");
        await dup.ExpectAsync(" 376 carol ");

        await a.CommandAsync("JOIN #room");
        await dup.CommandAsync("JOIN #room");
        await a.ExpectAsync(":carol!~x@127.0.0.1 JOIN #room");
        var reply = await dup.CommandAsync("NICK Alice");
        Assert.Contains(":irc.test 433 carol Alice :Nickname is already in use", reply);
        reply = await dup.CommandAsync("NICK dave");
        Assert.Contains(":carol!~x@127.0.0.1 NICK dave", reply);
        await a.ExpectAsync(":carol!~x@127.0.0.1 NICK dave");
        var whois = await a.CommandAsync("WHOIS dave");
        IrcAssert.HasNumeric(whois, "311");
        Assert.Contains(":irc.test 319 alice dave #room", whois);
    }

    [Fact(Timeout = 30_000)]
    public async Task Unregistered_commands_and_long_lines_get_their_numerics()
    {
        var ep = await StartChatAsync();
        await using var c = await IrcClient.ConnectAsync(ep, "x");
        await c.SendAsync("JOIN #a");
        Assert.Equal(":irc.test 451 * :You have not registered", await c.ReadAsync());
        await c.SendAsync("NICK x");
        await c.SendAsync("USER x 0 * :x");
        await c.ExpectAsync(" 376 x ");
        await c.SendAsync("PRIVMSG #a :" + new string('y', 600));
        Assert.Equal(":irc.test 417 x :Input line was too long", await c.ReadAsync());
        await c.SendAsync("BOGUS");
        Assert.Equal(":irc.test 421 x BOGUS :Unknown command", await c.ReadAsync());
        await c.Raw.SendAsync(new byte[] { 0x50, 0x49, 0x4E, 0x47, 0x20, 0xFF, 0xFE, 0xC3, 0x0D, 0x0A }); // PING <invalid utf-8>
        // UTF8ONLY: refused with a standard reply, and the session goes on
        Assert.Equal(":irc.test FAIL PING INVALID_UTF8 :Message rejected, your IRC software MUST use UTF-8 encoding on this network", await c.ReadAsync());
        await c.SendAsync("PING ok");
        Assert.Equal(":irc.test PONG irc.test ok", await c.ReadAsync());
    }
}
