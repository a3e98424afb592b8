using ActorNet.IntegrationTests.Support;
using ActorNet.Samples;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Samples;

public sealed class KeyValueCommandTests
{
    [Theory]
    [InlineData("SET a hello world", "Set", "a", "hello world")]
    [InlineData("get a", "Get", "a", null)]
    [InlineData("DEL k", "Delete", "k", null)]
    public void Parses_valid_commands(string line, string kind, string key, string? value)
    {
        var command = KeyValueCommand.Parse(line);
        Assert.Equal(kind, command.GetType().Name);
        switch (command)
        {
            case KeyValueCommand.Set set:
                Assert.Equal((key, value), (set.Key, set.Value));
                break;
            case KeyValueCommand.Get get:
                Assert.Equal(key, get.Key);
                break;
            case KeyValueCommand.Delete del:
                Assert.Equal(key, del.Key);
                break;
        }
    }

    [Theory]
    [InlineData("", "unknown command")]
    [InlineData("SET onlykey", "usage: SET")]
    [InlineData("GET", "usage: GET")]
    [InlineData("KEYS extra", "usage: KEYS")]
    [InlineData("FLY me", "unknown command")]
    public void Rejects_invalid_lines_with_a_reason(string line, string error)
    {
        var invalid = Assert.IsType<KeyValueCommand.Invalid>(KeyValueCommand.Parse(line));
        Assert.Contains(error, invalid.Error);
    }

    [Fact]
    public void Rejects_over_long_keys() =>
        Assert.IsType<KeyValueCommand.Invalid>(KeyValueCommand.Parse("GET " + new string('k', KeyValueCommand.MaxKeyLength + 1)));
}

public sealed class KeyValueSampleTests(ITestOutputHelper output) : NodeTestKit(output)
{
    [Fact(Timeout = 30_000)]
    public async Task Two_clients_share_one_store_through_the_custom_handler()
    {
        var handler = typeof(KeyValueHandlerFactory).FullName + ", " + typeof(KeyValueHandlerFactory).Assembly.GetName().Name;
        var bound = await StartNodeAsync(TestSettings.Listener("kv", handler));
        await using var writer = await LineClient.ConnectAsync(bound["kv"]);
        await using var reader = await LineClient.ConnectAsync(bound["kv"]);
        Assert.Equal("READY kv kv", await writer.ReadLineAsync());
        Assert.Equal("READY kv kv", await reader.ReadLineAsync());

        await writer.SendLineAsync("SET greeting hello there");
        Assert.Equal("OK", await writer.ReadLineAsync());
        await reader.SendLineAsync("GET greeting");
        Assert.Equal("VALUE hello there", await reader.ReadLineAsync());
        await reader.SendLineAsync("DEL greeting");
        Assert.Equal("DELETED", await reader.ReadLineAsync());
        await writer.SendLineAsync("GET greeting");
        Assert.Equal("NOT_FOUND", await writer.ReadLineAsync());
        await writer.SendLineAsync("FLY");
        Assert.StartsWith("ERROR unknown command", await writer.ReadLineAsync());
    }
}
