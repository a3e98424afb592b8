using System.Globalization;
using System.Net;
using ActorNet.Admin;
using ActorNet.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorNet.Node.Admin;

/// <summary>What a request may do, decided by <see cref="AdminGate"/> before any route runs.</summary>
public enum AdminRole
{
    /// <summary>No token: only the open pages.</summary>
    None,

    /// <summary>The read-only token: GET and HEAD.</summary>
    Reader,

    /// <summary>The admin token: everything.</summary>
    Admin,
}

/// <summary>
/// The one gate every admin request goes through (a middleware ahead of routing, so a route added later is covered
/// without doing anything): (1) the <c>Host</c> header must be one of the allowed hosts — a DNS-rebinding page
/// arrives under its own name and gets 403; (2) a path not in <see cref="OpenPages"/> needs a bearer token: the
/// read-only token for GET/HEAD, the admin token for anything else (default deny: an unknown route is treated as
/// mutating); (3) a client that presents wrong tokens is throttled (429 with Retry-After) before its token is even
/// compared. Refusals are JSON <c>{"error": reason}</c> and a structured log line.
/// </summary>
internal sealed class AdminGate
{
    /// <summary>The role the gate granted, in <see cref="HttpContext.Items"/>.</summary>
    public const string RoleItem = "actornet.admin.role";

    /// <summary>Paths served without a token (GET/HEAD only): the pages ask for the token themselves, and
    /// /config.json holds only the node's name and the web chat's WebSocket URL.</summary>
    public static readonly IReadOnlySet<string> OpenPages = new HashSet<string>(StringComparer.Ordinal)
    {
        "/", "/dashboard", "/chat", "/config.json", "/favicon.ico",
    };

    private readonly string _token;
    private readonly string? _readToken;
    private readonly HostPolicy _hosts;
    private readonly FailureThrottle _throttle;
    private readonly Serilog.ILogger _log;

    public AdminGate(AdminSettings admin, string token, Serilog.ILogger log, TimeProvider? time = null)
    {
        _token = token;
        _readToken = admin.ReadToken;
        _hosts = HostPolicy.For(admin);
        _throttle = new FailureThrottle(admin.AuthThrottle, time);
        _log = log;
    }

    public static bool IsOpen(string method, string path) =>
        (HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) && (OpenPages.Contains(path) || path.StartsWith("/web/", StringComparison.Ordinal));

    public void Use(WebApplication app) => app.Use(async (http, next) =>
    {
        if (await Check(http) is { } refusal)
        {
            await refusal.ExecuteAsync(http);
            return;
        }

        await next(http);
    });

    private Task<IResult?> Check(HttpContext http)
    {
        var request = http.Request;
        var remote = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!_hosts.Allows(request.Host.Host))
        {
            _log.Warning("admin: refused {Method} {Path} from {Remote}: Host {HostHeader} is not in actornet.admin.allowed-hosts (DNS rebinding?)",
                request.Method, request.Path.Value, remote, Clip(request.Host.Value));
            return Task.FromResult<IResult?>(AdminRoutes.Error(403, $"Host '{Clip(request.Host.Host)}' is not allowed (actornet.admin.allowed-hosts)"));
        }

        var path = request.Path.Value ?? "/";
        var mutating = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));
        if (IsOpen(request.Method, path))
        {
            http.Items[RoleItem] = AdminRole.None;
            return Task.FromResult<IResult?>(null);
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult<IResult?>(AdminRoutes.Error(401, "this call needs the admin token: Authorization: Bearer TOKEN (see actornet.admin.token-file, or actornet ctl)"));

        if (!_throttle.MayTry(remote, out var retry))
        {
            _log.Warning("admin: throttled {Method} {Path} from {Remote}: too many wrong tokens, retry in {RetryAfter}", request.Method, path, remote, retry);
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Task.FromResult<IResult?>(AdminRoutes.Error(429, $"too many wrong tokens from {remote}; retry in {Math.Ceiling(retry.TotalSeconds)}s"));
        }

        var presented = header[7..].Trim();
        var role = Secrets.EqualsConstantTime(presented, _token) ? AdminRole.Admin
            : Secrets.EqualsConstantTime(presented, _readToken) ? AdminRole.Reader
            : AdminRole.None;
        if (role == AdminRole.None)
        {
            var left = _throttle.Failed(remote);
            _log.Warning("admin: wrong token for {Method} {Path} from {Remote} ({Left} attempts left before throttling)", request.Method, path, remote, left);
            return Task.FromResult<IResult?>(AdminRoutes.Error(401, "invalid token"));
        }

        if (mutating && role != AdminRole.Admin)
            return Task.FromResult<IResult?>(AdminRoutes.Error(403, "the read-only token cannot change the node; use the admin token"));
        http.Items[RoleItem] = role;
        return Task.FromResult<IResult?>(null);
    }

    private static string Clip(string? s) => s is null ? "" : s.Length <= 80 ? s : s[..80] + "...";

    /// <summary>Which Host header values are accepted.</summary>
    internal sealed record HostPolicy(IReadOnlySet<string> Hosts, bool AnyIpLiteral, bool All)
    {
        public static HostPolicy For(AdminSettings admin)
        {
            if (admin.AllowedHosts is ["*"]) return new HostPolicy(new HashSet<string>(), false, true);
            var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var any = false;
            if (admin.AllowedHosts.Count > 0)
                foreach (var h in admin.AllowedHosts) hosts.Add(h.Trim('[', ']'));
            else
            {
                hosts.UnionWith(["localhost", "127.0.0.1", "::1", admin.Host.Trim('[', ']')]);
                any = IPAddress.TryParse(admin.Host, out var a) && (a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any));
            }

            return new HostPolicy(hosts, any, false);
        }

        public bool Allows(string? host)
        {
            if (All) return true;
            if (string.IsNullOrEmpty(host)) return false; // HTTP/1.1 requires Host; a browser always sends it
            var bare = host.Trim('[', ']');
            return Hosts.Contains(bare) || (AnyIpLiteral && IPAddress.TryParse(bare, out _));
        }
    }
}
