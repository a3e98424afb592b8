using System.Net;
using ActorNet.Config;
using ActorNet.Handlers;
using ActorNet.IntegrationTests.Support;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;
using ActorNet.Node.Hosting;

namespace ActorNet.IntegrationTests.Handlers;

/// <summary>Answers every line with the name of the thread the handler runs on.</summary>
public sealed class ThreadNameHandler : ConnectionHandler
{
    public ThreadNameHandler(HandlerContext context) : base(context) =>
        Receive<FrameReceived>(_ => Send(Thread.CurrentThread.Name ?? "?"));
}

/// <summary>The README's way for a handler that must block: its factory puts it on a dispatcher of its own.</summary>
public sealed class OwnDispatcherHandlerFactory : IHandlerFactory
{
    public Props CreateHandler(HandlerContext context) =>
        Props.Create(() => new ThreadNameHandler(context)).WithDispatcher("blocking-handlers");
}

public sealed class HandlerDispatcherTests(ITestOutputHelper output) : TestKit(NodeTestKit.NodeConfig(Config), output: output)
{
    // as in README "Custom handlers": a dispatcher declared in the node's HOCON
    private const string Config = NodeTestKit.TestConfig + """

        blocking-handlers { type = Dispatcher, executor = fork-join-executor, fork-join-executor { parallelism-min = 8, parallelism-max = 8 } }
        """;

    [Fact(Timeout = 30_000)]
    public async Task A_factory_can_put_its_handlers_on_a_dispatcher_of_their_own()
    {
        var settings = TestSettings.Node(null, TestSettings.Listener("own", typeof(OwnDispatcherHandlerFactory).AssemblyQualifiedName!));
        var guardian = ActorNetNode.Start(Sys, settings, NodeHandlers.Catalog);
        var bound = await ActorNetNode.WaitForBindingsAsync(guardian, settings, TimeSpan.FromSeconds(10));
        await using var client = await LineClient.ConnectAsync((IPEndPoint)bound["own"]);

        await client.SendLineAsync("where?");
        Assert.StartsWith("blocking-handlers", await client.ReadLineAsync());
    }
}
