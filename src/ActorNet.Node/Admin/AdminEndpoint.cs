using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ActorNet.Admin;
using ActorNet.Config;
using ActorNet.Faults;
using ActorNet.Runtime;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;

namespace ActorNet.Node.Admin;

/// <summary>
/// The HTTP admin endpoint (ASP.NET Core minimal API on Kestrel): read calls (status, connections, links, tree,
/// metrics, toxics, chaos) read the node's registries; mutating calls (kills, toxics, chaos) go through the admin
/// actor. Every request passes <see cref="AdminGate"/> first (Host allow-list, bearer token, throttling), so only the
/// pages are open. Errors are 4xx JSON <c>{"error": reason}</c>.
/// </summary>
public sealed class AdminEndpoint : IAsyncDisposable
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    private readonly WebApplication _app;

    private AdminEndpoint(WebApplication app, IPEndPoint bound)
    {
        _app = app;
        Bound = bound;
    }

    /// <summary>The endpoint Kestrel listens on (the real port when the config asked for 0).</summary>
    public IPEndPoint Bound { get; }

    /// <summary>Starts serving the admin API of the node running in <paramref name="system"/>.</summary>
    public static async Task<AdminEndpoint> StartAsync(ActorSystem system, NodeSettings settings, AdminSettings admin, Serilog.ILogger logger)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger.ForContext("SourceContext", "admin"));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.UseKestrel(o => o.Listen(ListenerSetupHost(admin.Host), admin.Port));
        var app = builder.Build();
        // No token given (a test, an embedding): a random one nobody knows, so every protected call is refused.
        var token = string.IsNullOrEmpty(admin.Token) ? ActorNet.Security.Secrets.NewToken() : admin.Token;
        new AdminGate(admin, token, logger.ForContext("SourceContext", "admin")).Use(app);
        var routes = new AdminRoutes(new NodeControl(system), settings, logger.ForContext("SourceContext", "admin"));
        routes.Map(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address);
        var bound = new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port);
        logger.Information("admin bound {Transport} {Endpoint}", "http", bound);
        ActorNet.Runtime.NodeRuntime.Get(system).AdminEndpoint = bound; // its web chat is an allowed Origin of the websocket listeners
        return new AdminEndpoint(app, bound);
    }

    private static IPAddress ListenerSetupHost(string host) => Transport.ListenerSetup.ParseHost(host);

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>The routes of <see cref="AdminEndpoint"/>.</summary>
internal sealed class AdminRoutes(NodeControl control, NodeSettings settings, Serilog.ILogger log)
{
    private static readonly string Version =
        typeof(AdminRoutes).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0] ?? "0.0.0";

    private NodeRuntime Runtime => control.Runtime;

    public void Map(WebApplication app)
    {
        WebPages.Map(app, settings, Runtime, Unauthorized);
        app.MapGet("/status", () => Ok(Status()));
        app.MapGet("/connections", () => Ok(Runtime.Connections.Snapshot().Select(c => new
        {
            id = c.Info.Id,
            listener = c.Info.Listener,
            remote = c.Info.Remote.ToString(),
            openedAt = c.Info.OpenedAt,
            framesIn = c.Stats.FramesIn,
            framesOut = c.Stats.FramesOut,
            bytesIn = c.Stats.BytesIn,
            bytesOut = c.Stats.BytesOut,
            queuedBytes = c.Stats.QueuedBytes,
            handlerRestarts = c.Stats.HandlerRestarts,
        })));
        app.MapGet("/links", () => Ok(Runtime.Links.Snapshot().Select(l => new { name = l.Name, kind = l.Kind, connection = l.ConnectionId, target = l.Target })));
        app.MapGet("/tree", async () => Reply(await control.Ask(AdminActor.GetTree.Instance)));
        app.MapGet("/metrics", () => Results.Text(PrometheusText.Render(Runtime.Metrics.Snapshot()), PrometheusText.ContentType));
        app.MapGet("/toxics", async () => Reply(await control.ListToxicsAsync(), data => ((IReadOnlyList<ToxicSpec>)data).Select(t => t.Describe())));
        app.MapGet("/chaos", async () => Reply(await control.ChaosStatusAsync()));
        app.MapGet("/cluster", async () => Ok(await control.ClusterAsync()));
        app.MapGet("/events", async (HttpContext http) =>
        {
            if (ReadDenied(http) is { } denied) await denied.ExecuteAsync(http);
            else await EventStream.ServeAsync(http, control.System, log);
        });

        app.MapPost("/connections/{id}/kill", async (HttpContext http, string id, string? mode) =>
        {
            if (Unauthorized(http) is { } denied) return denied;
            if (!long.TryParse(id.StartsWith("c-", StringComparison.Ordinal) ? id[2..] : id, out var connectionId) || connectionId <= 0)
                return Error(400, $"'{id}' is not a connection id");
            if (!KillModes.TryParse(mode ?? "close", out var killMode))
                return Error(400, $"mode '{mode}' is not close, reset or crash");
            return Reply(await control.KillConnectionAsync(connectionId, killMode));
        });
        app.MapPost("/listeners/{name}/kill", async (HttpContext http, string name) =>
            Unauthorized(http) ?? Reply(await control.KillListenerAsync(name)));
        app.MapPost("/links/{name}/kill", async (HttpContext http, string name) =>
            Unauthorized(http) ?? Reply(await control.KillLinkAsync(name)));
        app.MapPost("/tree/crash", async (HttpContext http) =>
        {
            if (Unauthorized(http) is { } denied) return denied;
            var (values, error) = await ReadObject(http);
            if (values is null) return Error(400, error!);
            if (values.Keys.FirstOrDefault(k => k != "path") is { } unknown) return Error(400, $"{unknown}: unknown key (expected {{\"path\": \"/user/actornet/...\"}})");
            return Reply(await control.CrashAsync(values.GetValueOrDefault("path") ?? ""));
        });
        app.MapPost("/toxics", async (HttpContext http) =>
        {
            if (Unauthorized(http) is { } denied) return denied;
            var (values, error) = await ReadObject(http);
            if (values is null) return Error(400, error!);
            var toxic = ToxicParser.Parse(values, out var errors);
            return toxic is null ? Error(400, string.Join("; ", errors)) : Reply(await control.AddToxicAsync(toxic), _ => toxic.Describe());
        });
        app.MapDelete("/toxics/{name}", async (HttpContext http, string name) =>
            Unauthorized(http) ?? Reply(await control.RemoveToxicAsync(name), data => ((ToxicSpec)data).Describe()));
        app.MapPost("/chaos/start", async (HttpContext http) =>
        {
            if (Unauthorized(http) is { } denied) return denied;
            var (values, error) = await ReadObject(http, allowEmpty: true);
            if (values is null) return Error(400, error!);
            var start = ChaosRequest.Parse(values, out var problem);
            return start is null ? Error(400, problem!) : Reply(await control.StartChaosAsync(start));
        });
        app.MapPost("/chaos/stop", async (HttpContext http) => Unauthorized(http) ?? Reply(await control.StopChaosAsync()));
        // Re-read and apply the node's configuration, all or nothing; ?dry-run=true only says what would change.
        app.MapPost("/reload", async (HttpContext http, bool? dryRun) =>
        {
            if (Unauthorized(http) is { } denied) return denied;
            var dry = http.Request.Query["dry-run"] == "true" || dryRun == true;
            var (values, error) = await ReadObject(http, allowEmpty: true);
            if (values is null) return Error(400, error!);
            if (!values.TryGetValue("config", out var text)) return Reply(await control.ReloadAsync(dry, "admin"));
            // {"config": "<HOCON>", "name": "other.conf"}: what would this configuration change on the running node?
            var name = values.GetValueOrDefault("name") is { Length: > 0 } n ? n : "<request>";
            ActorNet.Admin.ConfigReloadSource from = () =>
            {
                var loaded = ActorNet.Node.Cli.NodeConfiguration.LoadText(text, name);
                return new ActorNet.Admin.ReloadInput(loaded.Settings, loaded.Errors);
            };
            return Reply(await control.ReloadAsync(dry, "admin (compare " + name + ")", from));
        });
    }

    private object Status() => new
    {
        node = settings.NodeName,
        version = Version,
        startedAt = Runtime.StartedAt,
        uptimeSeconds = (long)Runtime.Uptime.TotalSeconds,
        connections = Runtime.Connections.Count,
        listeners = Runtime.Listeners.Select(l => new
        {
            name = l.Name,
            transport = l.Transport,
            endpoint = l.Endpoint?.ToString(),
            bound = l.Endpoint is not null,
            connections = Runtime.Metrics.For(l.Name).Open,
        }),
        toxics = Runtime.Toxics.All.Select(t => t.Name),
    };

    /// <summary>null when <see cref="AdminGate"/> let the request in with either token (a read); else the 401.</summary>
    internal IResult? ReadDenied(HttpContext http) =>
        http.Items.TryGetValue(AdminGate.RoleItem, out var role) && role is AdminRole.Admin or AdminRole.Reader ? null
        : Error(401, "this call needs a token (Authorization: Bearer TOKEN)");

    /// <summary>null when <see cref="AdminGate"/> let the request in with the admin token; else the 401/403 to return.
    /// The gate already refuses such requests before any route runs; routes call this as a second line of defence.</summary>
    internal IResult? Unauthorized(HttpContext http) =>
        http.Items.TryGetValue(AdminGate.RoleItem, out var role) && role is AdminRole.Admin ? null
        : role is AdminRole.Reader ? Error(403, "the read-only token cannot change the node; use the admin token")
        : Error(401, "this call needs the admin token (Authorization: Bearer TOKEN)");

    /// <summary>Largest JSON body read (a toxic or chaos request is a few hundred bytes).</summary>
    internal const int MaxBodyChars = 64 * 1024;

    private static async Task<(Dictionary<string, string>? Values, string? Error)> ReadObject(HttpContext http, bool allowEmpty = false)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var buffer = new char[MaxBodyChars + 1];
        var read = 0;
        while (read < buffer.Length && await reader.ReadAsync(buffer.AsMemory(read)) is var n and > 0) read += n;
        if (read > MaxBodyChars) return (null, $"body too large (at most {MaxBodyChars} characters)");
        var body = new string(buffer, 0, read);
        if (string.IsNullOrWhiteSpace(body))
            return allowEmpty ? (new Dictionary<string, string>(), null) : (null, "expected a JSON object body");
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (null, "expected a JSON object body");
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Array => string.Join(",", property.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
                    _ => property.Value.GetRawText(),
                };
            }

            return (values, null);
        }
        catch (JsonException e)
        {
            return (null, "malformed JSON: " + (e.Message.Length <= 200 ? e.Message : e.Message[..200]));
        }
        catch (InvalidOperationException)
        {
            return (null, "malformed JSON: a string is not valid UTF-16 (a lone surrogate such as \\ud800)");
        }
    }

    private static IResult Ok(object data) => Results.Json(data, AdminEndpoint.Json);

    internal static IResult Error(int status, string reason) => Results.Json(new { error = reason }, AdminEndpoint.Json, statusCode: status);

    private static IResult Reply(AdminResult result, Func<object, object>? project = null)
    {
        if (!result.Ok)
            return Error(result.Outcome switch
            {
                AdminOutcome.NotFound => 404,
                AdminOutcome.Conflict => 409,
                AdminOutcome.Forbidden => 403,
                _ => 400,
            }, result.Message);
        var data = result.Data is null ? null : project is null ? result.Data : project(result.Data);
        return Results.Json(new { message = result.Message, data }, AdminEndpoint.Json);
    }
}

/// <summary>Parses the optional body of POST /chaos/start.</summary>
internal static class ChaosRequest
{
    /// <summary>Shortest chaos interval: a kill every few microseconds would only burn the node's CPU.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "...";

    public static ChaosMonkey.Start? Parse(IReadOnlyDictionary<string, string> values, out string? error)
    {
        error = null;
        int? seed = null;
        TimeSpan? interval = null;
        double? probability = null;
        List<KillMode>? modes = null;
        List<string>? listeners = null;
        List<ChaosTarget>? targets = null;
        foreach (var (key, value) in values)
        {
            switch (key)
            {
                case "seed" when int.TryParse(value, out var s): seed = s; break;
                case "interval" when ToxicParser.TryParseDuration(value, out var i) && i >= MinInterval: interval = i; break;
                case "probability" when double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1:
                    probability = p;
                    break;
                case "modes":
                    modes = new List<KillMode>();
                    foreach (var text in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!KillModes.TryParse(text, out var mode))
                        {
                            error = $"modes: unknown mode '{Clip(text)}' (expected close, reset or crash)";
                            return null;
                        }

                        modes.Add(mode);
                    }

                    break;
                case "listeners":
                    listeners = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    break;
                case "targets":
                    targets = new List<ChaosTarget>();
                    foreach (var text in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!ChaosTargets.TryParse(text, out var target))
                        {
                            error = $"targets: unknown target '{Clip(text)}' (expected connections or services)";
                            return null;
                        }

                        targets.Add(target);
                    }

                    break;
                default:
                    error = $"{Clip(key)}: unknown key or bad value '{Clip(value)}' (keys: seed, an integer; interval, {MinInterval.TotalMilliseconds}ms to {ToxicParser.MaxDuration.TotalMinutes}m; probability, 0 to 1; modes; listeners; targets)";
                    return null;
            }
        }

        return new ChaosMonkey.Start(seed, interval, probability, modes, listeners) { Targets = targets };
    }
}
