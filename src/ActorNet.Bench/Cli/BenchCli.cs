using System.CommandLine;
using System.Runtime.InteropServices;
using ActorNet.Bench.Baseline;
using ActorNet.Bench.Clients;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Cli;

/// <summary><c>actornet bench</c>: load generators (fanout, nats-fanout, echo, connect, udp, proxy) and the raw baseline server.</summary>
public static class BenchCli
{
    /// <summary>Builds the <c>bench</c> command and its subcommands.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var bench = new Command("bench", "Measure a server on 127.0.0.1 (fanout, nats-fanout, echo, connect, udp, proxy) or run the raw-socket baseline.");
        bench.Subcommands.Add(Workload("fanout", "C IRC clients join one channel; each sends M PRIVMSGs of S bytes; deliveries/s, latency, loss.",
            6667, 10, 1000, stdout, stderr, (o, ct) => FanoutBench.RunAsync(o, FanoutProtocol.Irc, stderr, ct)));
        bench.Subcommands.Add(Workload("nats-fanout", "The fan-out workload over the NATS text protocol (SUB/PUB one subject, echo off).",
            4222, 10, 1000, stdout, stderr, (o, ct) => FanoutBench.RunAsync(o with { Channel = o.Channel == "#bench" ? "bench.fanout" : o.Channel }, FanoutProtocol.Nats, stderr, ct)));
        bench.Subcommands.Add(Workload("echo", "C clients pipeline M lines of S bytes to a line-echo listener: msgs/s and MB/s.",
            7000, 10, 10000, stdout, stderr, (o, ct) => EchoBench.RunAsync(o, stderr, ct)));
        bench.Subcommands.Add(Workload("connect", "N (--clients) idle registered IRC connections (or --plain TCP + one echoed line): connects/s, server RSS per connection.",
            6667, 1000, 0, stdout, stderr, (o, ct) => ConnectBench.RunAsync(o, stderr, ct)));
        bench.Subcommands.Add(Workload("udp", "C peers send M datagrams of S bytes through a udp-relay listener: relayed/s and loss.",
            7002, 4, 10000, stdout, stderr, (o, ct) => UdpBench.RunAsync(o, stderr, ct)));
        bench.Subcommands.Add(Workload("proxy", "C parallel uploads (or --download: downloads) of --mib MiB through a TCP forward proxy (--port) to a sink here (--sink-port, its upstream): MB/s, bytes lost, proxy RSS growth and CPU per GiB.",
            7010, 1, 0, stdout, stderr, (o, ct) => ProxyBench.RunAsync(o, stderr, ct)));
        bench.Subcommands.Add(BaselineCommand(stdout, stderr));
        bench.Subcommands.Add(SummarizeCommand(stdout, stderr));
        return bench;
    }

    private static Command Workload(string name, string description, int port, int clients, int messages,
        TextWriter stdout, TextWriter stderr, Func<BenchOptions, CancellationToken, Task<BenchReport>> run)
    {
        var host = new Option<string>("--host") { Description = "Target address (loopback only)", DefaultValueFactory = _ => "127.0.0.1" };
        var portOpt = new Option<int>("--port", "-p") { Description = "Target port", DefaultValueFactory = _ => port };
        var clientsOpt = new Option<int>("--clients", "-c") { Description = "Clients (connect: connections)", DefaultValueFactory = _ => clients };
        var messagesOpt = new Option<int>("--messages", "-m") { Description = "Messages per client", DefaultValueFactory = _ => messages };
        var size = new Option<int>("--size", "-s") { Description = "Payload bytes per message", DefaultValueFactory = _ => 100 };
        var rate = new Option<double>("--rate") { Description = "Messages/s per client; 0 = unlimited", DefaultValueFactory = _ => 0 };
        var timeout = new Option<double>("--timeout") { Description = "Bound on the whole run, seconds", DefaultValueFactory = _ => 60 };
        var window = new Option<int>("--window") { Description = "Most messages a sender may run ahead of its slowest receiver; 0 = none", DefaultValueFactory = _ => 0 };
        var channel = new Option<string>("--channel") { Description = "IRC channel / NATS subject", DefaultValueFactory = _ => "#bench" };
        var plain = new Option<bool>("--plain") { Description = "connect: plain TCP to a line-echo listener instead of IRC" };
        var tls = new Option<bool>("--tls") { Description = "echo, fanout: TLS to the server (any certificate accepted)" };
        var pid = new Option<int?>("--server-pid") { Description = "connect: server PID whose VmRSS growth per connection is reported; proxy: the proxy PID whose RSS growth and CPU are reported" };
        var hold = new Option<double>("--hold") { Description = "connect: seconds to hold all connections before measuring", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No live progress line on stderr" };
        var sinkPort = new Option<int>("--sink-port") { Description = "proxy: port of the sink this process listens on (the proxy's upstream)" };
        var mib = new Option<int>("--mib") { Description = "proxy: MiB per transfer", DefaultValueFactory = _ => 256 };
        var download = new Option<bool>("--download") { Description = "proxy: the sink sends, the clients receive and check (default: clients upload)" };
        var label = new Option<string?>("--label") { Description = "Label copied into the JSON (used by bench/run-bench.sh)" };
        var extraPorts = new Option<string?>("--extra-ports") { Description = "fanout: more ports (comma-separated, e.g. other cluster nodes' chat listeners); clients are spread round-robin" };
        var cmd = new Command(name, description) { host, portOpt, clientsOpt, messagesOpt, size, rate, timeout, window, channel, json, quiet, label };
        if (name is "fanout" or "nats-fanout") cmd.Options.Add(extraPorts);
        if (name == "proxy")
        {
            cmd.Options.Add(sinkPort);
            cmd.Options.Add(mib);
            cmd.Options.Add(download);
            cmd.Options.Add(pid);
        }
        if (name is "echo" or "fanout") cmd.Options.Add(tls);
        if (name == "connect")
        {
            cmd.Options.Add(plain);
            cmd.Options.Add(pid);
            cmd.Options.Add(hold);
        }
        cmd.SetAction(async (parse, ct) =>
        {
            if (!BenchOptions.TryParseLoopback(parse.GetValue(host), out var address, out var error))
            {
                await stderr.WriteLineAsync($"actornet bench: {error}");
                return 2;
            }
            var o = new BenchOptions
            {
                Host = address,
                Port = parse.GetValue(portOpt),
                Clients = parse.GetValue(clientsOpt),
                Messages = parse.GetValue(messagesOpt),
                Size = parse.GetValue(size),
                Rate = parse.GetValue(rate),
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                Window = parse.GetValue(window),
                Channel = parse.GetValue(channel) ?? "#bench",
                Plain = parse.GetValue(plain),
                Tls = parse.GetValue(tls),
                ServerPid = parse.GetValue(pid),
                Hold = TimeSpan.FromSeconds(parse.GetValue(hold)),
                SinkPort = parse.GetValue(sinkPort),
                TransferMiB = parse.GetValue(mib),
                Download = parse.GetValue(download),
                Json = parse.GetValue(json),
                Progress = !parse.GetValue(quiet),
                ExtraPorts = (parse.GetValue(extraPorts) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(p => int.TryParse(p, out var n) ? n : -1).ToList(),
            };
            if (o.ExtraPorts.Any(p => p is < 1 or > 65535) || o.Port is < 1 or > 65535 || o.Clients < 1 || o.Messages < 0 || o.Size < 0 || o.Size > 1_000_000 || o.Rate < 0
                || o.Timeout <= TimeSpan.Zero || o.Timeout > TimeSpan.FromHours(1))
            {
                await stderr.WriteLineAsync("actornet bench: --port 1..65535, --clients >= 1, --messages >= 0, --size 0..1000000, --rate >= 0, --timeout 0..3600 s");
                return 2;
            }
            using var signals = new SignalCancellation(ct);
            BenchReport report;
            try
            {
                report = await run(o, signals.Token) with { Label = parse.GetValue(label) };
            }
            catch (ArgumentException ex)
            {
                await stderr.WriteLineAsync($"actornet bench: {ex.Message}");
                return 2;
            }
            await stdout.WriteLineAsync(o.Json ? report.ToJson() : report.ToTable());
            return report.Ok ? 0 : 1;
        });
        return cmd;
    }

    private static Command BaselineCommand(TextWriter stdout, TextWriter stderr)
    {
        var host = new Option<string>("--host") { Description = "Bind address (loopback only)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "Port; 0 = any free port", DefaultValueFactory = _ => 6667 };
        var mode = new Option<BaselineMode>("--mode") { Description = "irc | echo", DefaultValueFactory = _ => BaselineMode.Irc };
        var duration = new Option<double>("--duration") { Description = "Stop after this many seconds; 0 = until SIGINT/SIGTERM", DefaultValueFactory = _ => 0 };
        var cmd = new Command("baseline", "Raw-socket baseline server (no actors): minimal IRC fan-out or line echo.") { host, port, mode, duration };
        cmd.SetAction(async (parse, ct) =>
        {
            if (!BenchOptions.TryParseLoopback(parse.GetValue(host), out var address, out var error))
            {
                await stderr.WriteLineAsync($"actornet bench baseline: {error}");
                return 2;
            }
            using var signals = new SignalCancellation(ct);
            await using var server = BaselineServer.Start(new System.Net.IPEndPoint(address, parse.GetValue(port)), parse.GetValue(mode));
            await stdout.WriteLineAsync($"baseline {server.Mode.ToString().ToLowerInvariant()} bound tcp {server.EndPoint}");
            await stdout.FlushAsync();
            double seconds = parse.GetValue(duration);
            try
            {
                await Task.Delay(seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan, signals.Token);
            }
            catch (OperationCanceledException) { }
            await stdout.WriteLineAsync($"baseline stopped after {server.Accepted} connections");
            return 0;
        });
        return cmd;
    }

    private static Command SummarizeCommand(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "JSON-lines file of labelled reports (case|server)" };
        var reference = new Option<string>("--reference") { Description = "Server the ratios are computed for", DefaultValueFactory = _ => "actornet" };
        var cmd = new Command("summarize", "Medians per case and server, and ratios, from a run-bench.sh results file.") { file, reference };
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                stderr.WriteLine($"actornet bench summarize: no such file {path}");
                return 2;
            }
            stdout.Write(Summary.Summarize(File.ReadLines(path), parse.GetValue(reference) ?? "actornet"));
            return 0;
        });
        return cmd;
    }

    /// <summary>Cancels on SIGINT/SIGTERM (the node CLI leaves signals to the caller) or when the parent token fires.</summary>
    private sealed class SignalCancellation : IDisposable
    {
        private readonly CancellationTokenSource _cts;
        private readonly PosixSignalRegistration _int;
        private readonly PosixSignalRegistration _term;

        public SignalCancellation(CancellationToken parent)
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(parent);
            _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
            _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        }

        public CancellationToken Token => _cts.Token;

        private void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            _cts.Cancel();
        }

        public void Dispose()
        {
            _int.Dispose();
            _term.Dispose();
            _cts.Dispose();
        }
    }
}
