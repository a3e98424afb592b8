using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Chat;

/// <summary>Guessing operator passwords (issue 15, item 2): after three wrong OPERs from one address even the right
/// password is refused, on that connection and on a new one, until the throttle's window refills.</summary>
public sealed class OperSecurityTests(ITestOutputHelper output) : ChatNodeTestKit(output)
{
    [Fact(Timeout = 30_000)]
    public async Task Wrong_opers_are_throttled_per_address_across_connections()
    {
        var ep = await StartChatAsync();
        await using var mallory = await IrcClient.RegisteredAsync(ep, "mallory");
        for (var i = 0; i < 3; i++)
            IrcAssert.HasNumeric(await mallory.CommandAsync($"OPER root guess{i}"), "464");

        var refused = await mallory.CommandAsync("OPER root rootpw");
        Assert.Contains(refused, l => l.Contains(" 464 mallory :Too many failed OPER attempts; try again in "));
        Assert.DoesNotContain(refused, l => l.Contains(" 381 "));

        await using var again = await IrcClient.RegisteredAsync(ep, "mallory2");
        var second = await again.CommandAsync("OPER root rootpw");
        Assert.Contains(second, l => l.Contains("Too many failed OPER attempts"));
        Assert.DoesNotContain(mallory.Seen.Concat(again.Seen), l => l.Contains(" 381 "));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_right_password_works_after_a_mistake()
    {
        var ep = await StartChatAsync();
        await using var root = await IrcClient.RegisteredAsync(ep, "root");
        IrcAssert.HasNumeric(await root.CommandAsync("OPER root typo"), "464");
        IrcAssert.HasNumeric(await root.CommandAsync("OPER root rootpw"), "381");
    }
}
