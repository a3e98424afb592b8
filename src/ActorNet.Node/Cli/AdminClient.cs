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

    /// <summary>GET <paramref name="path"/> as a Server-Sent Events stream: calls <paramref name="onEvent"/> with
    /// each event's name and data until the node ends the stream or <paramref name="cancel"/> fires.</summary>
    public async Task StreamAsync(string path, Func<string, string, Task> onEvent, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new AdminCallException($"cannot reach the admin endpoint at {endpoint} ({e.Message}); is the node running with actornet.admin.enabled = true?");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var reason = ErrorOf(await response.Content.ReadAsStringAsync(cancel)) ?? response.ReasonPhrase ?? "request failed";
                throw new AdminCallException(response.StatusCode == System.Net.HttpStatusCode.Unauthorized
                    ? $"unauthorized: {reason} (pass --token or set ACTORNET_ADMIN_TOKEN)"
                    : $"{(int)response.StatusCode} {response.StatusCode}: {reason}");
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel), Encoding.UTF8);
            string? name = null;
            var data = new StringBuilder();
            try
            {
                while (await reader.ReadLineAsync(cancel) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (name is not null || data.Length > 0) await onEvent(name ?? "message", data.ToString());
                        name = null;
                        data.Clear();
                    }
                    else if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
                    else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(data.Length > 0 ? "\n" : "").Append(line[5..].TrimStart());
                }
            }
            catch (IOException) when (!cancel.IsCancellationRequested)
            {
                throw new AdminCallException("the node ended the event stream (it stopped, or this client fell behind and was dropped)");
            }
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
