using System.CommandLine;
using System.Text.Json;
using ActorNet.Admin;
using ActorNet.Config;

namespace ActorNet.Node.Cli;

/// <summary><c>actornet ctl</c>: talks to a running node's admin endpoint. Endpoint and token come from
/// <c>--endpoint</c>/<c>--token</c>, else ACTORNET_ADMIN_TOKEN, else <c>actornet.admin</c> of <c>--config</c>, else the
/// token file the node wrote (~/.actornet/NODE.admin-token).</summary>
public static class CtlCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var endpoint = new Option<string?>("--endpoint", "-e") { Description = "admin endpoint, e.g. http://127.0.0.1:8080 (default: actornet.admin.bind of --config)", Recursive = true };
        var token = new Option<string?>("--token", "-t") { Description = "bearer token (default: ACTORNET_ADMIN_TOKEN, then actornet.admin.token, then the token file the node wrote, ~/.actornet/NODE.admin-token)", Recursive = true };
        var config = new Option<string>("--config", "-c") { Description = "node config to read actornet.admin from", DefaultValueFactory = _ => NodeCli.DefaultConfigPath, Recursive = true };
        var json = new Option<bool>("--json") { Description = "print the raw JSON reply", Recursive = true };
        var ctl = new Command("ctl", "Control a running node through its admin endpoint.") { endpoint, token, config, json };

        Command Leaf(string name, string description, Func<ParseResult, Task<(HttpMethod, string, object?)>> request, Action<JsonElement, TextWriter>? table, params Symbol[] symbols)
        {
            var command = new Command(name, description);
            foreach (var symbol in symbols)
            {
                if (symbol is Argument argument) command.Arguments.Add(argument);
                else command.Options.Add((Option)symbol);
            }

            command.SetAction(async (parse, _) =>
            {
                try
                {
                    var (client, problem) = Client(parse, endpoint, token, config);
                    if (client is null)
                    {
                        await stderr.WriteLineAsync("actornet ctl: " + problem);
                        return ExitCodes.Failure;
                    }

                    using (client)
                    {
                        var (method, path, body) = await request(parse);
                        var text = await client.CallAsync(method, path, body);
                        if (parse.GetValue(json) || table is null || !text.TrimStart().StartsWith('{') && !text.TrimStart().StartsWith('['))
                            await stdout.WriteLineAsync(text.TrimEnd());
                        else
                            table(JsonDocument.Parse(text).RootElement, stdout);
                        return ExitCodes.Ok;
                    }
                }
                catch (AdminCallException e)
                {
                    await stderr.WriteLineAsync("actornet ctl: " + e.Message);
                    return ExitCodes.Failure;
                }
                catch (ArgumentException e)
                {
                    await stderr.WriteLineAsync("actornet ctl: " + e.Message);
                    return ExitCodes.Failure;
                }
            });
            return command;
        }

        static Task<(HttpMethod, string, object?)> Req(HttpMethod method, string path, object? body = null) => Task.FromResult((method, path, body));

        var id = new Argument<string>("id") { Description = "connection id (see `ctl connections`)" };
        var mode = new Option<string>("--mode", "-m") { Description = "close | reset | crash", DefaultValueFactory = _ => "close" };
        var listenerName = new Argument<string>("name") { Description = "listener name" };
        var linkName = new Argument<string>("name") { Description = "link name, e.g. upstream-42 (see GET /links)" };
        var actorPath = new Argument<string>("path") { Description = "actor path under /user/actornet (see `ctl tree`), e.g. /user/actornet/services/chat" };
        var toxicName = new Argument<string>("name") { Description = "toxic name" };
        var toxicFields = new Argument<string[]>("fields") { Description = "key=value: type=latency listener=echo latency=200ms …", Arity = ArgumentArity.ZeroOrMore };
        var seed = new Option<int?>("--seed") { Description = "chaos seed (same seed, same choices)" };
        var interval = new Option<string?>("--interval") { Description = "time between draws, e.g. 500ms" };
        var probability = new Option<double?>("--probability") { Description = "chance a draw kills, 0..1" };
        var modes = new Option<string?>("--modes") { Description = "comma-separated kill modes, e.g. close,reset" };
        var listeners = new Option<string?>("--listeners") { Description = "comma-separated listeners (default: all)" };
        var targets = new Option<string?>("--targets") { Description = "comma-separated: connections, services (default: actornet.faults.chaos.targets)" };

        ctl.Subcommands.Add(Leaf("status", "Node name, version, uptime, listeners.", _ => Req(HttpMethod.Get, "/status"), CtlTables.Status));
        ctl.Subcommands.Add(Leaf("connections", "Open connections with their counters.", _ => Req(HttpMethod.Get, "/connections"), CtlTables.Connections));
        ctl.Subcommands.Add(Leaf("tree", "The live supervisor tree.", _ => Req(HttpMethod.Get, "/tree"), CtlTables.Tree));
        ctl.Subcommands.Add(Leaf("links", "Outbound links (forward upstreams).", _ => Req(HttpMethod.Get, "/links"), CtlTables.Links));
        ctl.Subcommands.Add(Leaf("cluster", "Cluster members: status, roles, reachability, connections per node.", _ => Req(HttpMethod.Get, "/cluster"), CtlTables.Cluster));
        ctl.Subcommands.Add(Leaf("metrics", "Prometheus metrics.", _ => Req(HttpMethod.Get, "/metrics"), null));
        ctl.Subcommands.Add(Leaf("kill", "Kill a connection.", p => Req(HttpMethod.Post, $"/connections/{Uri.EscapeDataString(p.GetValue(id)!)}/kill?mode={Uri.EscapeDataString(p.GetValue(mode)!)}"), CtlTables.Message, id, mode));
        ctl.Subcommands.Add(Leaf("kill-listener", "Crash a listener; it re-binds after its backoff.", p => Req(HttpMethod.Post, $"/listeners/{Uri.EscapeDataString(p.GetValue(listenerName)!)}/kill"), CtlTables.Message, listenerName));
        ctl.Subcommands.Add(Leaf("crash", "Make any actor under /user/actornet fail as if it threw; its supervisor decides what follows.", p => Req(HttpMethod.Post, "/tree/crash", new Dictionary<string, string> { ["path"] = p.GetValue(actorPath)! }), CtlTables.Message, actorPath));
        ctl.Subcommands.Add(Leaf("kill-link", "Drop an outbound link.", p => Req(HttpMethod.Post, $"/links/{Uri.EscapeDataString(p.GetValue(linkName)!)}/kill"), CtlTables.Message, linkName));

        var events = new Command("events", "Tail the node's live events (connections, restarts, kills, toxics, chaos, cluster) until Ctrl-C.");
        events.SetAction(async (parse, cancel) =>
        {
            var (client, problem) = Client(parse, endpoint, token, config);
            if (client is null)
            {
                await stderr.WriteLineAsync("actornet ctl: " + problem);
                return ExitCodes.Failure;
            }

            using (client)
            {
                try
                {
                    await client.StreamAsync("/events", async (name, data) =>
                    {
                        await stdout.WriteLineAsync(parse.GetValue(json) ? data : $"{name,-18} {data}");
                        await stdout.FlushAsync(cancel);
                    }, cancel);
                    return ExitCodes.Ok;
                }
                catch (OperationCanceledException)
                {
                    return ExitCodes.Ok;
                }
                catch (AdminCallException e)
                {
                    await stderr.WriteLineAsync("actornet ctl: " + e.Message);
                    return ExitCodes.Failure;
                }
            }
        });
        ctl.Subcommands.Add(events);

        var toxic = new Command("toxic", "Add, remove or list toxics.");
        toxic.Subcommands.Add(Leaf("add", "Add a toxic: toxic add NAME type=latency listener=echo latency=200ms", p => Req(HttpMethod.Post, "/toxics", Fields(p.GetValue(toxicName)!, p.GetValue(toxicFields) ?? [])), CtlTables.Message, toxicName, toxicFields));
        toxic.Subcommands.Add(Leaf("remove", "Remove a toxic.", p => Req(HttpMethod.Delete, $"/toxics/{Uri.EscapeDataString(p.GetValue(toxicName)!)}"), CtlTables.Message, toxicName));
        toxic.Subcommands.Add(Leaf("list", "List the toxics.", _ => Req(HttpMethod.Get, "/toxics"), CtlTables.Toxics));
        ctl.Subcommands.Add(toxic);

        var dryRun = new Option<bool>("--dry-run") { Description = "only print what a reload would change" };
        var compareFile = new Option<string?>("--file") { Description = "with --dry-run: what would this file change on the running node (it is validated and compared; nothing is applied)", HelpName = "PATH" };
        ctl.Subcommands.Add(Leaf("reload", "Re-read the node's configuration and apply it (all or nothing); errors are printed.",
            async p =>
            {
                if (p.GetValue(compareFile) is not { Length: > 0 } file)
                    return (HttpMethod.Post, p.GetValue(dryRun) ? "/reload?dry-run=true" : "/reload", (object?)null);
                if (!p.GetValue(dryRun)) throw new ArgumentException("--file only with --dry-run: a reload re-reads the node's own file");
                string text;
                try
                {
                    text = await File.ReadAllTextAsync(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ArgumentException($"cannot read {file}: {e.Message}", e);
                }

                return (HttpMethod.Post, "/reload?dry-run=true", new Dictionary<string, string> { ["config"] = text, ["name"] = file });
            }, CtlTables.Message, dryRun, compareFile));

        var chaos = new Command("chaos", "Start, stop or show chaos mode.");
        chaos.Subcommands.Add(Leaf("start", "Start killing connections at random (seeded).", p =>
        {
            var body = new Dictionary<string, object>();
            if (p.GetValue(seed) is { } s) body["seed"] = s;
            if (p.GetValue(interval) is { } i) body["interval"] = i;
            if (p.GetValue(probability) is { } pr) body["probability"] = pr;
            if (p.GetValue(modes) is { } m) body["modes"] = m;
            if (p.GetValue(listeners) is { } l) body["listeners"] = l;
            if (p.GetValue(targets) is { } t) body["targets"] = t;
            return Req(HttpMethod.Post, "/chaos/start", body);
        }, CtlTables.Chaos, seed, interval, probability, modes, listeners, targets));
        chaos.Subcommands.Add(Leaf("stop", "Stop chaos mode.", _ => Req(HttpMethod.Post, "/chaos/stop"), CtlTables.Chaos));
        chaos.Subcommands.Add(Leaf("status", "Show chaos mode.", _ => Req(HttpMethod.Get, "/chaos"), CtlTables.Chaos));
        ctl.Subcommands.Add(chaos);
        return ctl;
    }

    private static Dictionary<string, string> Fields(string name, string[] fields)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = name };
        foreach (var field in fields)
        {
            var eq = field.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"'{field}' is not key=value (e.g. latency=200ms)");
            values[field[..eq].Trim()] = field[(eq + 1)..].Trim();
        }

        return values;
    }

    /// <summary>Endpoint and token from the flags, the environment, the config file and, when no token is configured,
    /// the token file the node wrote at start (<see cref="Admin.AdminTokenFile"/>).</summary>
    private static (AdminClient? Client, string? Problem) Client(ParseResult parse, Option<string?> endpointOption, Option<string?> tokenOption, Option<string> configOption)
    {
        var endpoint = parse.GetValue(endpointOption);
        var token = parse.GetValue(tokenOption) ?? Environment.GetEnvironmentVariable(AdminSettings.TokenEnvironmentVariable);
        if (endpoint is null || token is null)
        {
            var path = parse.GetValue(configOption) ?? NodeCli.DefaultConfigPath;
            AdminSettings admin = AdminSettings.Default;
            NodeSettings? node = null;
            if (File.Exists(path))
            {
                var (config, _) = ConfigSource.Load(path, []);
                var loaded = config is null ? null : NodeSettingsLoader.Load(config);
                if (loaded?.Settings is { } settings)
                {
                    node = settings;
                    admin = settings.AdminOrDefault;
                }
            }

            endpoint ??= "http://" + admin.BindDisplay;
            token ??= admin.Token;
            if (token is null && node is not null) token = Admin.AdminTokenFile.Read(Admin.AdminTokenFile.PathFor(node));
        }

        if (!endpoint.Contains("://", StringComparison.Ordinal)) endpoint = "http://" + endpoint;
        return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            ? (new AdminClient(uri, token), null)
            : (null, $"'{endpoint}' is not a URL such as http://127.0.0.1:8080");
    }
}
