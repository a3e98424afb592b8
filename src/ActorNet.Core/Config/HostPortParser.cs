using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ActorNet.Config;

/// <summary>Parses "host:port" endpoints: "127.0.0.1:7000", "localhost:7000", "[::1]:7000" (IPv6 in brackets).</summary>
public static partial class HostPortParser
{
    /// <summary>
    /// Parses a bind or upstream endpoint. <paramref name="allowHostNames"/>: DNS names are accepted (upstreams);
    /// otherwise only IP literals and "localhost" (binds). Returns null and a reason on failure.
    /// </summary>
    public static HostPort? TryParse(string text, int minPort, bool allowHostNames, out string? error)
    {
        error = null;
        var s = text.Trim();
        string host;
        string portText;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            if (close < 0 || close + 1 >= s.Length || s[close + 1] != ':')
            {
                error = $"'{text}' is not host:port (IPv6 as \"[::1]:7000\")";
                return null;
            }
            host = s[1..close];
            portText = s[(close + 2)..];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{host}' is not an IPv6 address";
                return null;
            }
            host = v6.ToString();
        }
        else
        {
            var colon = s.LastIndexOf(':');
            if (colon < 0)
            {
                error = $"'{text}' is not host:port (missing port, e.g. \"127.0.0.1:7000\")";
                return null;
            }
            host = s[..colon];
            portText = s[(colon + 1)..];
            if (host.Contains(':'))
            {
                error = $"'{text}': an IPv6 address must be in brackets, e.g. \"[::1]:7000\"";
                return null;
            }
            if (host.Length == 0)
            {
                error = $"'{text}' has no host";
                return null;
            }
            if (!IsValidHost(host, allowHostNames))
            {
                error = allowHostNames
                    ? $"'{host}' is not a valid host name or IP address"
                    : $"'{host}' is not an IP address or localhost";
                return null;
            }
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            error = $"'{portText}' is not a port number";
            return null;
        }
        if (port < minPort || port > 65535)
        {
            error = $"port {port} is out of range {minPort}..65535";
            return null;
        }
        return new HostPort(host, port);
    }

    private static bool IsValidHost(string host, bool allowHostNames)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        if (Ipv4Pattern().IsMatch(host)) return IPAddress.TryParse(host, out _);
        return allowHostNames && host.Length <= 253 && HostNamePattern().IsMatch(host);
    }

    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){3}$")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"^(?=.*[A-Za-z-])[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex HostNamePattern();
}
