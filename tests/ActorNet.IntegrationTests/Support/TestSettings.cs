using ActorNet.Config;
using Akka.Configuration;

namespace ActorNet.IntegrationTests.Support;

/// <summary>Settings records for tests: loopback, port 0 (ephemeral), small sane limits.</summary>
public static class TestSettings
{
    public static ListenerSettings Listener(string name, string handler, TransportKind transport = TransportKind.Tcp,
        FramingKind framing = FramingKind.Line, int port = 0) => new(
        Name: name,
        Transport: transport,
        Host: "127.0.0.1",
        Port: port,
        Handler: handler,
        Framing: framing,
        LineEnding: LineEnding.Lf,
        MaxFrameBytes: 4096,
        MaxConnections: 1000,
        MaxConnectionsPerIp: 0,
        IdleTimeout: TimeSpan.Zero,
        WriteQueueLimitBytes: 1024 * 1024,
        Upstream: null,
        ConnectTimeout: TimeSpan.FromSeconds(5),
        PeerTtl: TimeSpan.FromSeconds(60),
        Options: Akka.Configuration.Config.Empty,
        Path: "actornet.listeners." + name);

    public static SupervisionSettings Supervision(int maxRestarts = 3) =>
        new(maxRestarts, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    public static NodeSettings Node(SupervisionSettings? supervision = null, params ListenerSettings[] listeners) => new(
        "test-node",
        listeners,
        supervision ?? Supervision(),
        new LoggingSettings(LogLevelSetting.Information, true, null, false),
        Akka.Configuration.Config.Empty);
}
