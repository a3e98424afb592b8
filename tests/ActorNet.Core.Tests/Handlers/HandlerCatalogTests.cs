using ActorNet.Config;
using ActorNet.Handlers;
using ActorNet.Handlers.BuiltIn;
using Xunit;

namespace ActorNet.Core.Tests.Handlers;

public sealed class NotAHandler;

public sealed class HandlerWithoutContextConstructor : ConnectionHandler
{
    public HandlerWithoutContextConstructor() : base(null!)
    {
    }
}

public sealed class HandlerCatalogTests
{
    private static readonly HandlerCatalog Catalog = HandlerCatalog.Default;

    private static ListenerSettings Listener(string handler, TransportKind transport = TransportKind.Tcp) => new(
        "l", transport, "127.0.0.1", 0, handler, FramingKind.Line, LineEnding.Lf, 1024, 10, 0, TimeSpan.Zero, 4096,
        null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), Akka.Configuration.Config.Empty, "actornet.listeners.l");

    private static string Aqn<T>() => typeof(T).FullName + ", " + typeof(T).Assembly.GetName().Name;

    [Theory]
    [InlineData("echo", TransportKind.Tcp, true)]
    [InlineData("echo", TransportKind.Udp, false)]
    [InlineData("broadcast", TransportKind.Tcp, true)]
    [InlineData("forward", TransportKind.Tcp, true)]
    [InlineData("udp-relay", TransportKind.Udp, false)]
    [InlineData("echo", TransportKind.WebSocket, true)]
    [InlineData("broadcast", TransportKind.WebSocket, true)]
    public void Built_ins_resolve_to_the_factory_of_their_transport(string name, TransportKind transport, bool stream)
    {
        var resolved = Catalog.Resolve(Listener(name, transport), out var error);
        Assert.Null(error);
        Assert.NotNull(resolved);
        Assert.Equal(stream, resolved.Stream is not null);
        Assert.Equal(!stream, resolved.Datagram is not null);
    }

    [Theory]
    [InlineData("forward")]
    [InlineData("udp-relay")]
    public void Forward_and_udp_relay_do_not_run_on_websocket(string name)
    {
        Assert.Null(Catalog.Resolve(Listener(name, TransportKind.WebSocket), out var error));
        Assert.Contains("does not support transport websocket", error);
    }

    [Fact]
    public void A_custom_connection_handler_runs_on_websocket() =>
        Assert.NotNull(Catalog.Resolve(Listener(Aqn<EchoHandler>(), TransportKind.WebSocket), out _)?.Stream);

    [Fact]
    public void Built_in_on_the_wrong_transport_is_explained()
    {
        Assert.Null(Catalog.Resolve(Listener("broadcast", TransportKind.Udp), out var error));
        Assert.Contains("does not support transport udp", error);
    }

    [Fact]
    public void A_connection_handler_type_resolves_by_assembly_qualified_name()
    {
        var resolved = Catalog.Resolve(Listener(Aqn<EchoHandler>()), out var error);
        Assert.Null(error);
        Assert.Equal(typeof(EchoHandler), Assert.IsType<ActorTypeHandlerFactory>(resolved!.Stream).ActorType);
    }

    [Fact]
    public void A_factory_type_resolves_and_is_instantiated() =>
        Assert.IsType<BroadcastHandlerFactory>(Catalog.Resolve(Listener(Aqn<BroadcastHandlerFactory>()), out _)!.Stream);

    [Theory]
    [InlineData("No.Such.Type, NoSuchAssembly", "not found")]
    [InlineData("ActorNet.Core.Tests.Handlers.NotAHandler, ActorNet.Core.Tests", "is not a ConnectionHandler")]
    [InlineData("ActorNet.Core.Tests.Handlers.HandlerWithoutContextConstructor, ActorNet.Core.Tests", "needs a public constructor taking a HandlerContext")]
    public void Unusable_types_are_explained(string typeName, string reason)
    {
        Assert.Null(Catalog.Resolve(Listener(typeName), out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void A_stream_handler_type_on_udp_is_explained()
    {
        Assert.Null(Catalog.Resolve(Listener(Aqn<EchoHandler>(), TransportKind.Udp), out var error));
        Assert.Contains("does not support transport udp", error);
    }

    [Fact]
    public void Core_does_not_know_chat_by_name()
    {
        Assert.Null(Catalog.Resolve(Listener("irc"), out var error));
        Assert.Contains("unknown handler 'irc'", error);
    }

    [Fact]
    public void A_host_adds_a_named_handler_with_its_transports()
    {
        var catalog = Catalog.With(new BuiltInHandler("kv", [TransportKind.Tcp], _ => new ActorTypeHandlerFactory(typeof(EchoHandler))));
        Assert.NotNull(catalog.Resolve(Listener("kv"), out _)?.Stream);
        Assert.Null(catalog.Resolve(Listener("kv", TransportKind.WebSocket), out var error));
        Assert.Contains("needs transport = tcp", error);
        Assert.Contains("kv", catalog.NameProblem("nope", TransportKind.Tcp));
        Assert.Null(Catalog.Resolve(Listener("kv"), out _)); // the original is unchanged
    }
}
