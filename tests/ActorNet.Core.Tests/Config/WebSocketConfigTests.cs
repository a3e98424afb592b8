using ActorNet.Config;
using Xunit;
using static ActorNet.Core.Tests.Config.ConfigTestUtil;

namespace ActorNet.Core.Tests.Config;

public class WebSocketConfigTests
{
    [Fact]
    public void A_websocket_listener_loads_with_its_path_defaulting_to_slash()
    {
        var settings = LoadOk(Listener("""transport = websocket, bind = "127.0.0.1:8081", handler = irc""", "web"));
        var web = Assert.Single(settings.Listeners);
        Assert.Equal(TransportKind.WebSocket, web.Transport);
        Assert.True(web.IsStream);
        Assert.Equal("/", web.WebSocketPath);
    }

    [Fact]
    public void The_path_key_is_read()
    {
        var settings = LoadOk(Listener("""transport = websocket, bind = "127.0.0.1:8081", handler = echo, path = "/irc" """));
        Assert.Equal("/irc", Assert.Single(settings.Listeners).WebSocketPath);
    }

    [Theory]
    [InlineData("irc")]
    [InlineData("broadcast")]
    [InlineData("echo")]
    public void Stream_handlers_are_accepted_on_websocket(string handler) =>
        LoadOk(Listener($"""transport = websocket, bind = "127.0.0.1:8081", handler = {handler}"""));

    [Theory]
    [InlineData("""transport = websocket, bind = "127.0.0.1:1", handler = udp-relay""", "actornet.listeners.l.handler", "needs transport = udp")]
    [InlineData("""transport = websocket, bind = "127.0.0.1:1", handler = forward, upstream = "127.0.0.1:2" """, "actornet.listeners.l.handler", "needs transport = tcp")]
    [InlineData("""transport = websocket, bind = "127.0.0.1:1", handler = echo, path = "irc" """, "actornet.listeners.l.path", "absolute request path")]
    [InlineData("""transport = websocket, bind = "127.0.0.1:1", handler = echo, path = "/a b" """, "actornet.listeners.l.path", "absolute request path")]
    [InlineData("""transport = websocket, bind = "127.0.0.1:1", handler = echo, path = "/a?b" """, "actornet.listeners.l.path", "absolute request path")]
    public void Bad_websocket_listeners_are_reported(string body, string path, string reason) => LoadError(Listener(body), path, reason);

    [Fact]
    public void A_websocket_listener_may_not_share_a_tcp_listeners_port()
    {
        var hocon = Listener("""transport = tcp, bind = "127.0.0.1:7000", handler = echo""", "a") + "\n" +
                    Listener("""transport = websocket, bind = "127.0.0.1:7000", handler = echo""", "b");
        LoadError(hocon, "actornet.listeners.b.bind", "already bound by listener 'a'");
    }

    [Fact]
    public void Udp_and_websocket_may_share_a_port_number()
    {
        var hocon = Listener("""transport = udp, bind = "127.0.0.1:7000", handler = echo""", "a") + "\n" +
                    Listener("""transport = websocket, bind = "127.0.0.1:7000", handler = echo""", "b");
        Assert.Equal(2, LoadOk(hocon).Listeners.Count);
    }
}
