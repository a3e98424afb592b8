using System.Net;
using System.Text;
using ActorNet.IntegrationTests.Support;
using Xunit;

namespace ActorNet.IntegrationTests.Chat;

/// <summary>An IRC client for tests: CRLF lines, bounded waits, helpers for registration and awaiting a reply.</summary>
internal sealed class IrcClient : IAsyncDisposable
{
    private readonly LineClient _lines;

    private IrcClient(LineClient lines, string nick)
    {
        _lines = lines;
        Nick = nick;
    }

    public string Nick { get; private set; }

    /// <summary>Every line read so far.</summary>
    public List<string> Seen { get; } = new();

    public LineClient Raw => _lines;

    public static async Task<IrcClient> ConnectAsync(IPEndPoint endpoint, string nick, int? receiveBufferSize = null) =>
        new(await LineClient.ConnectAsync(endpoint, receiveBufferSize), nick);

    /// <summary>Connects over TLS (trusting <paramref name="ca"/>), optionally with a client certificate.</summary>
    public static async Task<IrcClient> ConnectTlsAsync(IPEndPoint endpoint, string nick,
        System.Security.Cryptography.X509Certificates.X509Certificate2 ca,
        System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null) =>
        new(await LineClient.ConnectTlsAsync(endpoint, ca, clientCertificate), nick);

    /// <summary>Registers an already connected client with NICK/USER; waits for 376/422.</summary>
    public async Task<IrcClient> RegisterAsync()
    {
        await SendAsync($"NICK {Nick}");
        await SendAsync($"USER {Nick} 0 * :{Nick} real");
        await ExpectAsync(l => l.Contains(" 376 ") || l.Contains(" 422 "));
        return this;
    }

    /// <summary>Connects and registers with NICK/USER; waits for 376/422.</summary>
    public static async Task<IrcClient> RegisteredAsync(IPEndPoint endpoint, string nick, int? receiveBufferSize = null) =>
        await RegisterAsync(await ConnectAsync(endpoint, nick, receiveBufferSize), nick);

    /// <summary>Registers over a socket connected elsewhere (e.g. inside a network namespace).</summary>
    public static Task<IrcClient> RegisteredAsync(System.Net.Sockets.Socket connected, string nick) =>
        RegisterAsync(new IrcClient(LineClient.Over(connected), nick), nick);

    private static async Task<IrcClient> RegisterAsync(IrcClient c, string nick)
    {
        await c.SendAsync($"NICK {nick}");
        await c.SendAsync($"USER {nick} 0 * :{nick} real");
        await c.ExpectAsync(l => l.Contains(" 376 ") || l.Contains(" 422 "));
        return c;
    }

    public Task SendAsync(string line) => _lines.SendAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    public async Task<string> ReadAsync(TimeSpan? timeout = null)
    {
        var line = await _lines.ReadLineAsync(timeout) ?? throw new Xunit.Sdk.XunitException($"{Nick}: connection closed; seen:\n{string.Join('\n', Seen.TakeLast(20))}");
        Seen.Add(line);
        return line;
    }

    /// <summary>Reads until a line matches; returns it (fails after the timeout).</summary>
    public async Task<string> ExpectAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new Xunit.Sdk.XunitException($"{Nick}: no matching line; seen:\n{string.Join('\n', Seen.TakeLast(20))}");
            string line;
            try
            {
                line = await ReadAsync(left);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"{Nick}: no matching line in time; seen:\n{string.Join('\n', Seen.TakeLast(20))}");
            }

            if (match(line)) return line;
        }
    }

    public Task<string> ExpectAsync(string contains) => ExpectAsync(l => l.Contains(contains, StringComparison.Ordinal));

    /// <summary>Sends PING and returns every line before the PONG (the server answers in command order).</summary>
    public async Task<List<string>> SyncAsync(string token = "sync")
    {
        await SendAsync("PING " + token);
        var before = new List<string>();
        while (true)
        {
            var line = await ReadAsync();
            if (line.Contains(" PONG ") && line.EndsWith(token, StringComparison.Ordinal)) return before;
            before.Add(line);
        }
    }

    /// <summary>Sends a command and returns its replies (everything before the PONG of a following PING).</summary>
    public async Task<List<string>> CommandAsync(string line)
    {
        await SendAsync(line);
        return await SyncAsync("c" + Guid.NewGuid().ToString("N")[..8]);
    }

    public async Task<bool> ClosedAsync() => await _lines.WaitForCloseAsync(TimeSpan.FromSeconds(10));

    public void Rename(string nick) => Nick = nick;

    public ValueTask DisposeAsync() => _lines.DisposeAsync();
}

internal static class IrcAssert
{
    public static void HasNumeric(IEnumerable<string> lines, string code) =>
        Assert.True(lines.Any(l => l.Split(' ').ElementAtOrDefault(1) == code), $"no {code} in:\n{string.Join('\n', lines)}");
}
