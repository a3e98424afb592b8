using System.Security.Cryptography;
using System.Text;
using Akka.IO;

namespace ActorNet.Framing;

/// <summary>The outcome of reading an opening handshake: the HTTP answer and, when accepted, the subprotocol.</summary>
/// <param name="Accepted">101 Switching Protocols was answered</param>
/// <param name="Response">the full HTTP response to write</param>
/// <param name="Status">the HTTP status code (101, 400, 403, 404, 426)</param>
/// <param name="Error">why the request was refused (null when accepted)</param>
/// <param name="Subprotocol">the negotiated Sec-WebSocket-Protocol, or null</param>
public sealed record HandshakeResult(bool Accepted, ByteString Response, int Status, string? Error, string? Subprotocol);

/// <summary>
/// The server side of the RFC 6455 opening handshake (§4.2), as pure functions: parses one HTTP/1.1 request head and
/// answers 101 with Sec-WebSocket-Accept, or 400 (malformed, wrong method, missing key or host), 404 (wrong path),
/// 426 (no Upgrade: websocket, or a version other than 13), 403 (an <c>Origin</c> the <see cref="OriginPolicy"/> does
/// not allow: cross-site WebSocket hijacking). Subprotocols: the first of the client's list that the
/// server supports (text.ircv3.net, binary.ircv3.net: IRCv3 WebSocket), in the client's order of preference.
/// </summary>
public static class WebSocketHandshake
{
    /// <summary>The IRCv3 subprotocol for text messages.</summary>
    public const string TextIrcV3 = "text.ircv3.net";

    /// <summary>The IRCv3 subprotocol for binary messages.</summary>
    public const string BinaryIrcV3 = "binary.ircv3.net";

    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static readonly string[] Supported = [TextIrcV3, BinaryIrcV3];

    /// <summary>Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)).</summary>
    public static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    /// <summary>Reads a request head (everything before the blank line, CRLF-separated) and decides.</summary>
    /// <param name="head">the request line and headers, without the final CRLFCRLF</param>
    /// <param name="path">the path the listener serves (the request target's path must equal it; query ignored)</param>
    /// <param name="origins">which pages may connect; null = no Origin check</param>
    public static HandshakeResult Respond(ReadOnlySpan<byte> head, string path, OriginPolicy? origins = null)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var request = lines[0].Split(' ');
        if (request.Length != 3 || !request[2].StartsWith("HTTP/", StringComparison.Ordinal))
            return Refuse(400, "Bad Request", "malformed request line");
        if (request[0] != "GET")
            return Refuse(400, "Bad Request", $"method {Clip(request[0])} is not GET");
        if (request[2] != "HTTP/1.1")
            return Refuse(400, "Bad Request", $"{Clip(request[2])} is not HTTP/1.1");

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':');
            if (colon <= 0)
                return Refuse(400, "Bad Request", "malformed header line");
            var name = lines[i][..colon].Trim();
            var value = lines[i][(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }

        var target = request[1];
        var query = target.IndexOf('?');
        if ((query < 0 ? target : target[..query]) != path)
            return Refuse(404, "Not Found", $"no websocket at {Clip(target)} (this listener serves {path})");
        if (!headers.ContainsKey("Host"))
            return Refuse(400, "Bad Request", "missing Host header");
        if (origins is not null && !origins.Allows(headers.GetValueOrDefault("Origin")))
            return Refuse(403, "Forbidden", $"Origin {Clip(headers["Origin"])} is not in this listener's allowed-origins");
        if (!HasToken(headers, "Upgrade", "websocket"))
            return Refuse(426, "Upgrade Required", "missing Upgrade: websocket", "Upgrade: websocket\r\n");
        if (!HasToken(headers, "Connection", "Upgrade"))
            return Refuse(400, "Bad Request", "missing Connection: Upgrade");
        if (!headers.TryGetValue("Sec-WebSocket-Version", out var version) || version != "13")
            return Refuse(426, "Upgrade Required", "Sec-WebSocket-Version must be 13", "Sec-WebSocket-Version: 13\r\n");
        if (!headers.TryGetValue("Sec-WebSocket-Key", out var key) || !IsValidKey(key))
            return Refuse(400, "Bad Request", "missing or invalid Sec-WebSocket-Key");

        string? subprotocol = null;
        if (headers.TryGetValue("Sec-WebSocket-Protocol", out var offered))
            subprotocol = offered.Split(',', StringSplitOptions.TrimEntries).FirstOrDefault(p => Supported.Contains(p, StringComparer.Ordinal));

        var response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append("Sec-WebSocket-Accept: ").Append(AcceptKey(key)).Append("\r\n");
        if (subprotocol is not null)
            response.Append("Sec-WebSocket-Protocol: ").Append(subprotocol).Append("\r\n");
        response.Append("\r\n");
        return new HandshakeResult(true, ByteString.FromBytes(Encoding.ASCII.GetBytes(response.ToString())), 101, null, subprotocol);
    }

    /// <summary>An HTTP error answer that closes the connection (also used for refusals before any request).</summary>
    public static ByteString ErrorResponse(int status, string statusText, string message, string extraHeaders = "")
    {
        var body = Encoding.UTF8.GetBytes(message + "\n");
        var head = $"HTTP/1.1 {status} {statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n" +
                   $"Content-Length: {body.Length}\r\n{extraHeaders}\r\n";
        return ByteString.FromBytes([.. Encoding.ASCII.GetBytes(head), .. body]);
    }

    private static HandshakeResult Refuse(int status, string statusText, string error, string extraHeaders = "") =>
        new(false, ErrorResponse(status, statusText, error, extraHeaders), status, error, null);

    private static bool HasToken(Dictionary<string, string> headers, string name, string token) =>
        headers.TryGetValue(name, out var value) &&
        value.Split(',', StringSplitOptions.TrimEntries).Any(t => string.Equals(t, token, StringComparison.OrdinalIgnoreCase));

    /// <summary>RFC 6455: base64 of a 16-byte nonce.</summary>
    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[24];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out int n) && n == 16;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
