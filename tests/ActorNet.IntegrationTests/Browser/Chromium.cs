using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ActorNet.IntegrationTests.Browser;

/// <summary>
/// Headless Debian Chromium driven over its DevTools protocol (no Playwright, no browser download): one process
/// per test with a fresh profile; <see cref="NewPageAsync"/> opens a tab. Fails loudly when Chromium is missing.
/// </summary>
internal sealed partial class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly HttpClient _http;
    private readonly List<CdpPage> _pages = new();

    private Chromium(Process process, string profile, Uri devtools)
    {
        _process = process;
        _profile = profile;
        _http = new HttpClient { BaseAddress = devtools, Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>CHROMIUM_PATH, /usr/bin/chromium, or chromium / chromium-browser on PATH; null when none exists.</summary>
    public static string? Find()
    {
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium" };
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            candidates.AddRange([Path.Combine(dir, "chromium"), Path.Combine(dir, "chromium-browser")]);
        return candidates.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
    }

    /// <summary>Starts headless Chromium; throws (failing the test) with how to install it when it is missing.</summary>
    /// <param name="extraArgs">more command-line flags (e.g. <c>--ignore-certificate-errors-spki-list=...</c> to trust a test certificate)</param>
    public static async Task<Chromium> LaunchAsync(params string[] extraArgs)
    {
        var path = Find() ?? throw new InvalidOperationException(
            "Chromium is not installed: the browser tests need it. Install it with " +
            "`apt-get update && apt-get install -y chromium` (.ci/run and ./build.sh test do this), or set CHROMIUM_PATH.");
        var profile = Directory.CreateTempSubdirectory("actornet-chromium-").FullName;
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--remote-debugging-port=0", "--remote-allow-origins=*",
                     "--window-size=1400,900", $"--user-data-dir={profile}",
                 }.Concat(extraArgs).Append("about:blank"))
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {path}");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { ready.TrySetException(new InvalidOperationException("chromium exited: " + stderr)); return; }
            lock (stderr) stderr.AppendLine(e.Data);
            var m = DevToolsLine().Match(e.Data);
            if (m.Success) ready.TrySetResult(new Uri($"http://{m.Groups[1].Value}/"));
        };
        process.BeginErrorReadLine();
        try
        {
            var devtools = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return new Chromium(process, profile, devtools);
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>Opens a tab at <paramref name="url"/> with a 1400×900 viewport.</summary>
    public async Task<CdpPage> NewPageAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "json/new?" + url);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var target = await response.Content.ReadFromJsonAsync<JsonObject>();
        var page = await CdpPage.ConnectAsync(new Uri(target!["webSocketDebuggerUrl"]!.GetValue<string>()));
        _pages.Add(page);
        await page.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = 1400, ["height"] = 900, ["deviceScaleFactor"] = 1, ["mobile"] = false });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var page in _pages) await page.DisposeAsync();
        _http.Dispose();
        Kill(_process);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void Kill(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    [GeneratedRegex(@"DevTools listening on ws://([^/]+)/")]
    private static partial Regex DevToolsLine();
}

/// <summary>One tab over a DevTools WebSocket: commands by id, JavaScript evaluation, polling, screenshots.</summary>
internal sealed class CdpPage : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private int _nextId;

    private CdpPage(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoopAsync);
    }

    public static async Task<CdpPage> ConnectAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(uri, cts.Token);
        return new CdpPage(socket);
    }

    /// <summary>Sends a DevTools command and returns its result (throws on a protocol error).</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null)
    {
        var tcs = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_pending) { id = ++_nextId; _pending[id] = tcs; }
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        return await tcs.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Evaluates <paramref name="expression"/> (awaiting a promise) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvalAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true,
        });
        if (result["exceptionDetails"] is { } error) throw new InvalidOperationException($"JS error in `{expression}`: {error.ToJsonString()}");
        return result["result"]?["value"];
    }

    /// <summary>Polls <paramref name="predicate"/> (a JS boolean expression) every 100 ms until it holds.</summary>
    public async Task WaitForAsync(string predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await EvalAsync($"(() => {{ try {{ return !!({predicate}); }} catch {{ return false; }} }})()");
            if (value?.GetValue<bool>() == true) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for `{predicate}`; body: {await EvalAsync("document.body ? document.body.innerText.slice(0, 1500) : ''")}");
            await Task.Delay(100);
        }
    }

    /// <summary>Navigates and waits until the document has loaded.</summary>
    public async Task GotoAsync(string url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        await WaitForAsync("document.readyState === 'complete' && location.href.startsWith('http')");
    }

    /// <summary>A PNG of the viewport.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                var node = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (node["id"] is not { } idNode) continue; // an event
                TaskCompletionSource<JsonObject>? tcs;
                lock (_pending) _pending.Remove(idNode.GetValue<int>(), out tcs);
                if (node["error"] is { } error) tcs?.TrySetException(new InvalidOperationException("CDP error: " + error.ToJsonString()));
                else tcs?.TrySetResult(node["result"]?.AsObject() ?? new JsonObject());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }

        lock (_pending)
            foreach (var tcs in _pending.Values) tcs.TrySetException(new InvalidOperationException("DevTools connection closed"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader.ContinueWith(_ => { });
        _socket.Dispose();
        _stop.Dispose();
    }
}
