using System.Net;
using System.Reflection;
using ActorNet.Config;
using ActorNet.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorNet.Node.Admin;

/// <summary>
/// The browser side of the admin endpoint: the dashboard (<c>/</c>, <c>/dashboard</c>), the web chat (<c>/chat</c>),
/// their scripts and stylesheet (embedded resources under <c>/web/</c>, no CDN), <c>/config.json</c> (the web chat's
/// WebSocket URL) and <c>/auth</c> (checks a bearer token: the dashboard asks for it before it shows anything).
/// </summary>
internal static class WebPages
{
    /// <summary>Route → (embedded file, content type).</summary>
    public static readonly IReadOnlyDictionary<string, (string File, string ContentType)> Files =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["/"] = ("dashboard.html", "text/html; charset=utf-8"),
            ["/dashboard"] = ("dashboard.html", "text/html; charset=utf-8"),
            ["/chat"] = ("chat.html", "text/html; charset=utf-8"),
            ["/web/dashboard.js"] = ("dashboard.js", "text/javascript; charset=utf-8"),
            ["/web/chat.js"] = ("chat.js", "text/javascript; charset=utf-8"),
            ["/web/style.css"] = ("style.css", "text/css; charset=utf-8"),
        };

    /// <summary>Maps the pages, <c>/config.json</c> and <c>/auth</c>.</summary>
    public static void Map(WebApplication app, NodeSettings settings, NodeRuntime runtime, Func<HttpContext, IResult?> unauthorized)
    {
        foreach (var (route, (file, type)) in Files)
        {
            var bytes = Load(file);
            app.MapGet(route, () => Results.Bytes(bytes, type));
        }

        app.MapGet("/config.json", (HttpContext http) => Results.Json(new
        {
            node = settings.NodeName,
            chatUrl = ChatUrl(settings, runtime, http.Request.Host.Host),
        }, AdminEndpoint.Json));
        // /auth is not an open page: AdminGate checks (and throttles) the token before this runs.
        app.MapGet("/auth", (HttpContext http) => Results.Json(new
        {
            ok = true,
            role = http.Items.TryGetValue(AdminGate.RoleItem, out var role) && role is AdminRole.Admin ? "admin" : "reader",
        }, AdminEndpoint.Json));
    }

    /// <summary>
    /// ws://host:port/path of the first websocket listener with <c>handler = irc</c> (its bound port; a wildcard bind
    /// is shown with the host the browser used), or null when the node has none.
    /// </summary>
    public static string? ChatUrl(NodeSettings settings, NodeRuntime runtime, string requestHost)
    {
        var listener = settings.Listeners.FirstOrDefault(l => l.Transport == TransportKind.WebSocket && l.Handler == "irc");
        if (listener is null) return null;
        var bound = runtime.Listeners.FirstOrDefault(l => l.Name == listener.Name)?.Endpoint as IPEndPoint;
        var port = bound?.Port ?? listener.Port;
        var host = bound?.Address ?? (IPAddress.TryParse(listener.Host, out var a) ? a : null);
        var hostText = host is null ? listener.Host
            : host.Equals(IPAddress.Any) || host.Equals(IPAddress.IPv6Any) ? requestHost
            : host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host.ToString();
        var path = listener.WebSocketPath.StartsWith('/') ? listener.WebSocketPath : "/" + listener.WebSocketPath;
        return $"ws://{hostText}:{port}{path}";
    }

    private static byte[] Load(string file)
    {
        using var stream = typeof(WebPages).Assembly.GetManifestResourceStream("web/" + file)
            ?? throw new InvalidOperationException($"embedded web file '{file}' is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
