using System.Net;

namespace ActorNet.Bench.Core;

/// <summary>Settings shared by every bench workload (parsed once from the command line).</summary>
public sealed record BenchOptions
{
    /// <summary>Target address: loopback only.</summary>
    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>Target port.</summary>
    public int Port { get; init; }

    /// <summary>Concurrent clients (connect: connections).</summary>
    public int Clients { get; init; } = 10;

    /// <summary>Messages each client sends.</summary>
    public int Messages { get; init; } = 1000;

    /// <summary>Payload bytes per message.</summary>
    public int Size { get; init; } = 100;

    /// <summary>Messages per second per client; 0 = as fast as possible.</summary>
    public double Rate { get; init; }

    /// <summary>Upper bound on the whole run (connect, measure, drain).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most messages a sender may be ahead of its slowest receiver (fanout) or of its echoes (echo); 0 = no window.</summary>
    public int Window { get; init; }

    /// <summary>IRC channel or NATS subject.</summary>
    public string Channel { get; init; } = "#bench";

    /// <summary>connect: plain TCP (one echoed line proves the accept) instead of IRC registration.</summary>
    public bool Plain { get; init; }

    /// <summary>connect: server process whose VmRSS is read before and after.</summary>
    public int? ServerPid { get; init; }

    /// <summary>connect: how long to hold the connections open before measuring RSS and closing.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>proxy: the port this process listens on as the proxy's upstream (the sink).</summary>
    public int SinkPort { get; init; }

    /// <summary>proxy: MiB each transfer carries.</summary>
    public int TransferMiB { get; init; } = 256;

    /// <summary>proxy: the sink sends and the clients check (a download through the proxy) instead of an upload.</summary>
    public bool Download { get; init; }

    /// <summary>echo / fanout: speak TLS to the server (any certificate accepted).</summary>
    public bool Tls { get; init; }

    /// <summary>Print the result as one JSON object instead of a table.</summary>
    public bool Json { get; init; }

    /// <summary>Write the live progress line to stderr.</summary>
    public bool Progress { get; init; } = true;

    /// <summary>Target endpoint.</summary>
    public IPEndPoint EndPoint => new(Host, Port);

    /// <summary>More ports of the same service (e.g. the chat listeners of other cluster nodes): clients are spread
    /// round-robin over <see cref="Port"/> and these.</summary>
    public IReadOnlyList<int> ExtraPorts { get; init; } = [];

    /// <summary>The endpoint client number <paramref name="client"/> connects to.</summary>
    public IPEndPoint EndPointFor(int client) =>
        ExtraPorts.Count == 0 ? EndPoint : new IPEndPoint(Host, client % (ExtraPorts.Count + 1) == 0 ? Port : ExtraPorts[client % (ExtraPorts.Count + 1) - 1]);

    /// <summary>Resolves a --host value; only loopback addresses (and <c>localhost</c>) are accepted.</summary>
    public static bool TryParseLoopback(string? text, out IPAddress address, out string? error)
    {
        address = IPAddress.Loopback;
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        if (!IPAddress.TryParse(text.Trim('[', ']'), out var parsed))
        {
            error = $"--host '{text}' is not an IP address (use 127.0.0.1, ::1 or localhost)";
            return false;
        }
        if (!IPAddress.IsLoopback(parsed))
        {
            error = $"--host {text} is not a loopback address: the bench only ever targets 127.0.0.1/::1";
            return false;
        }
        address = parsed;
        return true;
    }
}
