using ActorNet.Config;
using Xunit;
using static ActorNet.Core.Tests.Config.ConfigTestUtil;

namespace ActorNet.Core.Tests.Config;

public sealed class NodeSettingsLoaderTests
{
    [Fact]
    public void A_listener_gets_every_default_from_the_reference_config()
    {
        var settings = LoadOk(Listener("""bind = "127.0.0.1:7000", handler = echo""", "echo"));
        var l = Assert.Single(settings.Listeners);
        Assert.Equal(("echo", TransportKind.Tcp, "127.0.0.1", 7000, "echo"), (l.Name, l.Transport, l.Host, l.Port, l.Handler));
        Assert.Equal((FramingKind.Line, LineEnding.Lf, 64 * 1024, 10000, 0), (l.Framing, l.LineEnding, l.MaxFrameBytes, l.MaxConnections, l.MaxConnectionsPerIp));
        Assert.Equal((TimeSpan.Zero, 1024L * 1024, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60)), (l.IdleTimeout, l.WriteQueueLimitBytes, l.ConnectTimeout, l.PeerTtl));
        Assert.Null(l.Upstream);
        Assert.Equal(TimeSpan.FromSeconds(5), l.CloseTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(300), LoadOk(Listener("""bind = "127.0.0.1:1", handler = echo, close-timeout = 300ms""")).Listeners[0].CloseTimeout);
        Assert.Equal("actornet.listeners.echo", l.Path);
        Assert.Equal("actornet", settings.NodeName);
        Assert.Equal(new SupervisionSettings(3, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10)), settings.Supervision);
        Assert.Equal(new LoggingSettings(LogLevelSetting.Information, true, null, false), settings.Logging);
    }

    [Fact]
    public void Io_buffer_bytes_defaults_to_the_node_wide_buffer_and_takes_a_size()
    {
        Assert.Equal(0, LoadOk(Listener("""bind = "127.0.0.1:1", handler = echo""")).Listeners[0].IoBufferBytes);
        Assert.Equal(0, LoadOk(Listener("""bind = "127.0.0.1:1", handler = broadcast, io-buffer-bytes = 0""")).Listeners[0].IoBufferBytes);
        Assert.Equal(4096, LoadOk(Listener("""bind = "127.0.0.1:1", handler = echo, io-buffer-bytes = 4KiB""")).Listeners[0].IoBufferBytes);
        Assert.Equal(128 * 1024, LoadOk(Listener("""bind = "127.0.0.1:1", handler = forward, upstream = "127.0.0.1:2", io-buffer-bytes = 128KiB""")).Listeners[0].IoBufferBytes);
    }

    /// <summary>Bulk relays read 64 KiB by default: each read is copied, and a copy of 128k would be a large-object-heap
    /// allocation (docs/BENCHMARKS.md "fourth session").</summary>
    [Fact]
    public void A_forward_listener_reads_64KiB_unless_told_otherwise()
    {
        Assert.Equal(64 * 1024, LoadOk(Listener("""bind = "127.0.0.1:1", handler = forward, upstream = "127.0.0.1:2" """)).Listeners[0].IoBufferBytes);
        Assert.Equal(64 * 1024, LoadOk(Listener("""bind = "127.0.0.1:1", handler = forward, upstream = "127.0.0.1:2", io-buffer-bytes = 0""")).Listeners[0].IoBufferBytes);
    }

    [Fact]
    public void Empty_config_is_a_valid_node_without_listeners() => Assert.Empty(LoadOk("").Listeners);

    [Fact]
    public void Listeners_keep_file_order_and_listener_defaults_apply_to_all()
    {
        var settings = LoadOk("""
            actornet.listener-defaults.max-frame-bytes = 1KiB
            actornet.listeners {
              zeta  { bind = "127.0.0.1:1", handler = echo }
              alpha { bind = "127.0.0.1:2", handler = broadcast, max-frame-bytes = 2KiB }
              mid   { transport = udp, bind = "[::1]:3", handler = udp-relay, peer-ttl = 250ms }
            }
            """);
        Assert.Equal(["zeta", "alpha", "mid"], settings.Listeners.Select(l => l.Name));
        Assert.Equal([1024, 2048, 1024], settings.Listeners.Select(l => l.MaxFrameBytes));
        Assert.Equal(("::1", TimeSpan.FromMilliseconds(250)), (settings.Listeners[2].Host, settings.Listeners[2].PeerTtl));
    }

    [Fact]
    public void Forward_options_and_sizes_parse()
    {
        var settings = LoadOk(Listener("""
            bind = "localhost:0", handler = forward, upstream = "example.internal:9000", framing = raw,
            write-queue-limit-bytes = 4MiB, idle-timeout = 2m, options { colour = blue }
            """));
        var l = settings.Listeners[0];
        Assert.Equal(new HostPort("example.internal", 9000), l.Upstream);
        Assert.Equal((FramingKind.Raw, 4L * 1024 * 1024, TimeSpan.FromMinutes(2)), (l.Framing, l.WriteQueueLimitBytes, l.IdleTimeout));
        Assert.Equal("blue", l.Options.GetString("colour"));
    }

    [Theory]
    [InlineData("""bind = "127.0.0.1:70000", handler = echo""", "actornet.listeners.l.bind", "out of range")]
    [InlineData("""bind = "127.0.0.1", handler = echo""", "actornet.listeners.l.bind", "not \"host:port\"")]
    [InlineData("""bind = "::1:80", handler = echo""", "actornet.listeners.l.bind", "brackets")]
    [InlineData("""bind = "example.com:80", handler = echo""", "actornet.listeners.l.bind", "not an IP address")]
    [InlineData("""handler = echo""", "actornet.listeners.l.bind", "required")]
    [InlineData("""bind = "127.0.0.1:1", handler = ircd""", "actornet.listeners.l.handler", "unknown handler 'ircd'")]
    [InlineData("""bind = "127.0.0.1:1" """, "actornet.listeners.l.handler", "required")]
    [InlineData("""bind = "127.0.0.1:1", handler = udp-relay""", "actornet.listeners.l.handler", "needs transport = udp")]
    [InlineData("""transport = udp, bind = "127.0.0.1:1", handler = broadcast""", "actornet.listeners.l.handler", "needs transport = tcp")]
    [InlineData("""transport = sctp, bind = "127.0.0.1:1", handler = echo""", "actornet.listeners.l.transport", "unknown transport 'sctp'")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, framing = xml""", "actornet.listeners.l.framing", "unknown framing 'xml'")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, line-ending = cr""", "actornet.listeners.l.line-ending", "unknown line-ending")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, max-frame-bytes = 0""", "actornet.listeners.l.max-frame-bytes", "must be 1 byte")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, max-frame-bytes = 17MiB""", "actornet.listeners.l.max-frame-bytes", "16MiB")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, max-connections = 0""", "actornet.listeners.l.max-connections", "must be >= 1")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, max-connections = lots""", "actornet.listeners.l.max-connections", "whole number")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, max-connections-per-ip = -1""", "actornet.listeners.l.max-connections-per-ip", "must be >= 0")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, idle-timeout = soon""", "actornet.listeners.l.idle-timeout", "duration")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, max-frame-bytes = 64KiB, write-queue-limit-bytes = 1KiB""", "actornet.listeners.l.write-queue-limit-bytes", "must be >= max-frame-bytes")]
    [InlineData("""bind = "127.0.0.1:1", handler = forward""", "actornet.listeners.l.upstream", "required for handler = forward")]
    [InlineData("""bind = "127.0.0.1:1", handler = forward, upstream = "127.0.0.1:0" """, "actornet.listeners.l.upstream", "out of range 1..65535")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, max-conections = 5""", "actornet.listeners.l.max-conections", "did you mean 'max-connections'?")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, colour = red""", "actornet.listeners.l.colour", "unknown key (known: allowed-origins, bind,")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, connect-timeout = 0s""", "actornet.listeners.l.connect-timeout", "must be > 0")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, close-timeout = 0s""", "actornet.listeners.l.close-timeout", "must be > 0")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, io-buffer-bytes = 100""", "actornet.listeners.l.io-buffer-bytes", "512 .. 16MiB")]
    [InlineData("""bind = "127.0.0.1:1", handler = echo, io-buffer-bytes = 17MiB""", "actornet.listeners.l.io-buffer-bytes", "512 .. 16MiB")]
    public void Each_kind_of_listener_error_names_its_path_and_reason(string body, string path, string reason) =>
        LoadError(Listener(body), path, reason);

    [Theory]
    [InlineData("actornet.node.name = \"bad name\"", "actornet.node.name", "letters, digits")]
    [InlineData("actornet.listeners { \"bad.name\" { bind = \"127.0.0.1:1\", handler = echo } }", "actornet.listeners.bad", "")]
    [InlineData("actornet.supervision.handler-max-restarts = -1", "actornet.supervision.handler-max-restarts", "must be >= 0")]
    [InlineData("actornet.supervision.handler-restart-window = 0s", "actornet.supervision.handler-restart-window", "must be > 0")]
    [InlineData("actornet.supervision.bind-backoff { min = 2s, max = 1s }", "actornet.supervision.bind-backoff.max", "must be >= bind-backoff.min")]
    [InlineData("actornet.supervision.retries = 5", "actornet.supervision.retries", "unknown key")]
    [InlineData("actornet.logging.level = loud", "actornet.logging.level", "unknown level 'loud'")]
    [InlineData("actornet.logging.console = maybe", "actornet.logging.console", "true or false")]
    [InlineData("actornet.listners { }", "actornet.listners", "unknown key")]
    public void Each_kind_of_node_error_names_its_path_and_reason(string hocon, string path, string reason)
    {
        var result = Load(hocon);
        Assert.False(result.Ok);
        Assert.Contains(result.Errors, e => e.Path.StartsWith(path, StringComparison.Ordinal) && e.Reason.Contains(reason));
    }

    [Fact]
    public void Duplicate_endpoints_are_reported()
    {
        LoadError("""
            actornet.listeners {
              a { bind = "127.0.0.1:7000", handler = echo }
              b { bind = "127.0.0.1:7000", handler = echo }
            }
            """, "actornet.listeners.b.bind", "already bound by listener 'a'");
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_at_once()
    {
        var result = Load("""
            actornet {
              listeners {
                one { bind = "127.0.0.1:99999", handler = echo }
                two { bind = "127.0.0.1:1", handler = nope }
                three { bind = "127.0.0.1:2", handler = echo, colour = red }
              }
              logging.level = shouty
            }
            """);
        Assert.False(result.Ok);
        Assert.Equal(
            ["actornet.listeners.one.bind", "actornet.listeners.three.colour", "actornet.listeners.two.handler", "actornet.logging.level"],
            result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Shutdown_drain_sets_the_service_unbind_phase_unless_the_file_does()
    {
        var settings = LoadOk("actornet.shutdown.drain-timeout = 12s");
        Assert.Equal(TimeSpan.FromSeconds(12), settings.Shutdown.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.Config.GetTimeSpan("akka.coordinated-shutdown.phases.service-unbind.timeout"));
        var own = LoadOk("actornet.shutdown.drain-timeout = 12s\nakka.coordinated-shutdown.phases.service-unbind.timeout = 30s");
        Assert.Equal(TimeSpan.FromSeconds(30), own.Config.GetTimeSpan("akka.coordinated-shutdown.phases.service-unbind.timeout"));
    }

    [Theory]
    [InlineData("actornet.shutdown.drain-timeout = 0s", "actornet.shutdown.drain-timeout", "must be > 0")]
    [InlineData("actornet.shutdown.grace = 1s", "actornet.shutdown.grace", "")]
    [InlineData("actornet.events.buffer-size = 100", "actornet.events.buffer-size", "power of two")]
    [InlineData("actornet.events.consumer-buffer = 0", "actornet.events.consumer-buffer", "must be 1..65536")]
    [InlineData("actornet.faults.chaos.targets = [nodes]", "actornet.faults.chaos.targets", "unknown target 'nodes'")]
    public void Bad_shutdown_events_and_chaos_keys_are_reported(string hocon, string path, string reason) => LoadError(hocon, path, reason);
}
