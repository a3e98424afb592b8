using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Chat;

/// <summary>Error numerics over a real socket, each answered to the client that caused it (the ones not already
/// covered by the registration and channel-semantics tests).</summary>
public sealed class ErrorNumericTests(ITestOutputHelper output) : ChatNodeTestKit(output)
{
    [Fact(Timeout = 30_000)]
    public async Task Registration_errors_431_432_462()
    {
        var ep = await StartChatAsync();
        await using var c = await IrcClient.ConnectAsync(ep, "x");
        IrcAssert.HasNumeric(await c.CommandAsync("NICK"), "431");
        IrcAssert.HasNumeric(await c.CommandAsync("NICK 9starts-with-digit"), "432");
        IrcAssert.HasNumeric(await c.CommandAsync("NICK " + new string('n', 200)), "432");
        await c.SendAsync("NICK okay");
        await c.SendAsync("USER okay 0 * :Okay");
        await c.ExpectAsync(" 376 okay ");
        IrcAssert.HasNumeric(await c.CommandAsync("USER again 0 * :Again"), "462");
    }

    [Fact(Timeout = 30_000)]
    public async Task Wrong_password_gets_464_and_is_closed()
    {
        var ep = await StartChatAsync(DefaultOptions + "\npassword = sesame");
        await using var c = await IrcClient.ConnectAsync(ep, "intruder");
        await c.SendAsync("PASS wrong");
        await c.SendAsync("NICK intruder");
        await c.SendAsync("USER intruder 0 * :Intruder");
        await c.ExpectAsync(" 464 ");
        Assert.True(await c.ClosedAsync());

        await using var ok = await IrcClient.ConnectAsync(ep, "friend");
        await ok.SendAsync("PASS sesame");
        await ok.SendAsync("NICK friend");
        await ok.SendAsync("USER friend 0 * :Friend");
        await ok.ExpectAsync(" 001 friend ");
    }

    [Fact(Timeout = 30_000)]
    public async Task Operator_errors_491_481_and_whowas_406()
    {
        var ep = await StartChatAsync();
        await using var c = await IrcClient.RegisteredAsync(ep, "mallory");
        IrcAssert.HasNumeric(await c.CommandAsync("OPER nobody nothing"), "491");
        IrcAssert.HasNumeric(await c.CommandAsync("KILL mallory :no"), "481");
        IrcAssert.HasNumeric(await c.CommandAsync("WHOWAS neverseen"), "406");

        await c.CommandAsync("OPER root rootpw");
        IrcAssert.HasNumeric(c.Seen, "381");
    }
}
