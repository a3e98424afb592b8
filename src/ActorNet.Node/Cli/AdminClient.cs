using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ActorNet.Node.Cli;

/// <summary>A failed admin call, with the message <c>actornet ctl</c> prints.</summary>
public sealed class AdminCallException(string message) : Exception(message);

/// <summary>The HTTP client of <c>actornet ctl</c>: one call per command, clear errors for an unreachable node,
/// a wrong token or a refused request.</summary>
public sealed class AdminClient(Uri endpoint, string? token, HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler(), disposeHandler: true)
    {
        BaseAddress = endpoint,
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Sends the request; returns the body (JSON or text). Throws <see cref="AdminCallException"/>.</summary>
    public async Task<string> CallAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new AdminCallException($"cannot reach the admin endpoint at {endpoint} ({e.Message}); is the node running with actornet.admin.enabled = true?");
        }
        catch (TaskCanceledException)
        {
            throw new AdminCallException($"the admin endpoint at {endpoint} did not answer within {_http.Timeout.TotalSeconds:F0}s");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode) return text;
            var reason = ErrorOf(text) ?? response.ReasonPhrase ?? "request failed";
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                throw new AdminCallException($"unauthorized: {reason} (pass --token, set ACTORNET_ADMIN_TOKEN, or run ctl as the user who runs the node with the same --config so it finds the token file)");
            throw new AdminCallException($"{(int)response.StatusCode} {response.StatusCode}: {reason}");
        }
    }

    private static string? ErrorOf(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
