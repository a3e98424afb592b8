using System.Net;
using ActorNet.Chat;
using ActorNet.Config;
using ActorNet.IntegrationTests.Support;
using Akka.Configuration;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Chat;

/// <summary>A node with one IRC listener (CRLF, 8704-byte frames) configured through its options block.</summary>
public abstract class ChatNodeTestKit(ITestOutputHelper output) : NodeTestKit(output)
{
    public const string DefaultOptions = """
        server-name = irc.test
        network-name = TestNet
        motd = "hello tests"
        opers { root = "pbkdf2-sha256$10000$YWN0b3JuZXQtdGVzdC0wMQ==$ddqRXnMzEgzCim+F6qmCbkNyyu5Eku8YKLQTlVarl1w=" }   # OPER root rootpw (hashed with 10000 iterations)
        flood { burst = 10000, per-second = 10000, max-queued = 10000 }
        """;

    protected async Task<IPEndPoint> StartChatAsync(string options = DefaultOptions, long writeQueueLimit = 1024 * 1024)
    {
        var listener = TestSettings.Listener("chat", "irc") with
        {
            LineEnding = LineEnding.CrLf,
            MaxFrameBytes = 8704,
            WriteQueueLimitBytes = writeQueueLimit,
            Options = ConfigurationFactory.ParseString(options),
        };
        var bound = await StartNodeAsync(listener);
        return bound["chat"];
    }

    internal static string Nick(IrcClient c) => c.Nick;

    /// <summary>The factory type resolves through the catalog (guards the type name Core uses).</summary>
    internal static readonly Type FactoryType = typeof(IrcHandlerFactory);
}
