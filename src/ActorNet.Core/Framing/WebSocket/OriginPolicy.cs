using System.Globalization;
using System.Net;

namespace ActorNet.Framing;

/// <summary>
/// Which web pages may open a WebSocket (the <c>Origin</c> check against cross-site WebSocket hijacking: a browser
/// lets any page connect to ws://127.0.0.1, and only the Origin header says which page asked). Pure data and a pure
/// check. Origins are compared as <c>scheme://host:port</c>, lower case, with the scheme's default port made explicit.
/// A request without Origin is not from a browser (IRC clients, bots) and is allowed; <c>Origin: null</c> (sandboxed
/// frames, file: pages) is a browser that hides its page and is refused unless every origin is allowed.
/// </summary>
/// <param name="Exact">allowed origins, normalized (<see cref="Normalize"/>)</param>
/// <param name="AnyAddressPorts">ports at which a page from any IP literal or localhost is allowed (a listener or
/// admin endpoint bound to 0.0.0.0/:: is reachable at every local address; a host *name* is still refused, because
/// a DNS-rebinding page arrives under its own name)</param>
/// <param name="AllowAll">allowed-origins = ["*"]: no check</param>
public sealed record OriginPolicy(IReadOnlySet<string> Exact, IReadOnlySet<int> AnyAddressPorts, bool AllowAll = false)
{
    /// <summary>Every origin (allowed-origins = ["*"]).</summary>
    public static OriginPolicy All { get; } = new(new HashSet<string>(), new HashSet<int>(), AllowAll: true);

    /// <summary>True when a handshake with this Origin header value (null: none sent) may proceed.</summary>
    public bool Allows(string? origin)
    {
        if (AllowAll || origin is null) return true;
        if (Normalize(origin) is not { } normalized) return false;
        if (Exact.Contains(normalized)) return true;
        return AnyAddressPorts.Count > 0 && Uri.TryCreate(normalized, UriKind.Absolute, out var uri)
            && AnyAddressPorts.Contains(uri.Port) && (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || uri.Host == "localhost");
    }

    /// <summary>Explicit origins from config (each "scheme://host[:port]"); "*" alone allows all. Null when one is not an origin.</summary>
    public static OriginPolicy? FromList(IReadOnlyList<string> origins, out string? error)
    {
        error = null;
        if (origins.Count == 1 && origins[0] == "*") return All;
        var exact = new HashSet<string>(StringComparer.Ordinal);
        foreach (var origin in origins)
        {
            if (Normalize(origin) is not { } n)
            {
                error = origin == "*" ? "\"*\" must be the only entry" : $"'{origin}' is not an origin such as \"http://127.0.0.1:8080\" (scheme://host[:port], no path)";
                return null;
            }

            exact.Add(n);
        }

        return new OriginPolicy(exact, new HashSet<int>());
    }

    /// <summary>
    /// The default: pages the node itself serves. The origins of each endpoint given (the WebSocket listener's own
    /// address and the admin endpoint that serves the web chat), over http and https; a loopback endpoint also under
    /// localhost, 127.0.0.1 and [::1]; a wildcard endpoint under any IP literal at its port.
    /// </summary>
    public static OriginPolicy SelfServed(params IPEndPoint?[] endpoints)
    {
        var exact = new HashSet<string>(StringComparer.Ordinal);
        var any = new HashSet<int>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint is null) continue;
            var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
            if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            {
                any.Add(endpoint.Port);
                continue;
            }

            var hosts = new List<string> { HostText(address) };
            if (IPAddress.IsLoopback(address)) hosts.AddRange(["localhost", "127.0.0.1", "[::1]"]);
            foreach (var host in hosts)
            foreach (var scheme in new[] { "http", "https" })
                exact.Add(string.Create(CultureInfo.InvariantCulture, $"{scheme}://{host}:{endpoint.Port}"));
        }

        return new OriginPolicy(exact, any);
    }

    /// <summary>"scheme://host:port" in lower case with the default port explicit; null when not an http(s)/ws(s) origin.</summary>
    public static string? Normalize(string origin)
    {
        if (!Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme is not ("http" or "https" or "ws" or "wss")) return null;
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0) return null;
        if (origin.TrimEnd().EndsWith('/')) return null; // an Origin never ends in '/'
        var host = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.Host.Trim('[', ']') + "]" : uri.Host;
        return string.Create(CultureInfo.InvariantCulture, $"{uri.Scheme}://{host.ToLowerInvariant()}:{uri.Port}");
    }

    private static string HostText(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
