using System.Security.Cryptography;
using ActorNet.Config;
using ActorNet.Framing;
using ActorNet.IntegrationTests.Support;
using ActorNet.IntegrationTests.Transport;
using ActorNet.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorNet.IntegrationTests.Browser;

/// <summary>WSS: a websocket listener with <c>tls { }</c> (the WebSocket codec over the TLS layer), opened by headless
/// Chromium as <c>new WebSocket("wss://...")</c>. The browser trusts the test's certificate through
/// <c>--ignore-certificate-errors-spki-list</c> (its SubjectPublicKeyInfo hash), so no CA is installed anywhere.</summary>
[Collection(SerialCollection.Name)]
public sealed class WssBrowserTests(ITestOutputHelper output) : NodeTestKit(output), IDisposable
{
    private readonly TestCertificates _pki = new();

    void IDisposable.Dispose() => _pki.Dispose();

    [Fact(Timeout = 90_000)]
    public async Task Chromium_exchanges_messages_over_wss_with_an_echo_listener()
    {
        using var certificate = _pki.Server();
        var bound = await StartNodeAsync(TestSettings.Listener("wss", "echo", TransportKind.WebSocket) with
        {
            Tls = TlsTests.Tls(certificate),
            AllowedOrigins = OriginPolicy.All, // the test page is about:blank (Origin: null)
        });
        var spki = Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        await using var browser = await Chromium.LaunchAsync($"--ignore-certificate-errors-spki-list={spki}");
        var page = await browser.NewPageAsync("about:blank");
        var url = System.Text.Json.JsonSerializer.Serialize($"wss://localhost:{bound["wss"].Port}/");
        var result = await page.EvalAsync($$"""
            new Promise((resolve) => {
              const ws = new WebSocket({{url}});
              ws.onopen = () => ws.send('hello over wss');
              ws.onmessage = (e) => { resolve('echo: ' + e.data); ws.close(); };
              ws.onclose = (e) => resolve('closed ' + e.code);
              setTimeout(() => resolve('timeout'), 20000);
            })
            """);
        Assert.Equal("echo: hello over wss", result!.GetValue<string>());
    }
}
