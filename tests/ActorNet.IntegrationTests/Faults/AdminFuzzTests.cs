using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ActorNet.Admin;
using ActorNet.Faults;
using ActorNet.Node.Admin;
using ActorNet.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace ActorNet.IntegrationTests.Faults;

/// <summary>
/// Every admin call that takes input (JSON bodies of POST /toxics and /chaos/start, ids, names and query values in
/// the path) fuzzed with hostile values over real HTTP (issue 15, item 6): no input yields a 5xx, and the node
/// keeps answering.
/// </summary>
[Properties(MaxTest = 300, Replay = "20261202,2211")]
public sealed class AdminFuzzTests : IAsyncLifetime
{
    private const string Token = "admin-fuzz-token-0123456789";
    private TestNode _node = null!;
    private AdminEndpoint _endpoint = null!;
    private HttpClient _http = null!;

    private static readonly string[] Keys =
        ["name", "type", "direction", "listener", "connection", "latency", "jitter", "rate", "delay", "timeout", "bytes", "probability",
         "seed", "interval", "modes", "listeners", "", "__proto__", "x"];

    private static readonly string[] Types = ["latency", "bandwidth", "slow-close", "timeout", "reset-after", "drop", "sideways"];

    /// <summary>JSON values (raw text): numbers the parsers must refuse, wrong types, huge strings.</summary>
    private static readonly string[] Values =
    [
        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e300", "-1e300", "1e400", "\"1e300\"", "\"1e300ms\"", "\"1e300s\"", "\"1e300m\"",
        "\"NaNms\"", "\"-1s\"", "-1", "0", "0.0000001", "\"0.0000001ms\"", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "2147483648", "\"\"", "null", "true", "[]", "[1,\"a\",null]", "{}", "{\"a\":{\"b\":[]}}",
        "\"echo\"", "\"ghost\"", "\"c-1\"", "\"close,reset,crash\"", "\"explode\"", "\"200ms\"", "\"1h\"", "\"61m\"", "0.5", "1.0000001",
        JsonSerializer.Serialize(new string('x', 5000)), "\"\\u0000\"", "\"\\ud800\"",
    ];

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync("""
            actornet {
              node.name = admin-fuzz
              listeners.echo { transport = tcp, bind = "127.0.0.1:0", handler = echo }
            }
            """);
        _endpoint = await AdminEndpoint.StartAsync(_node.System, _node.Settings, new AdminSettings(true, "127.0.0.1", 0, Token),
            new Serilog.LoggerConfiguration().CreateLogger());
        _http = new HttpClient { BaseAddress = new Uri($"http://{_endpoint.Bound}"), Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task DisposeAsync()
    {
        await _http.PostAsync("/chaos/stop", null);
        _http.Dispose();
        await _endpoint.DisposeAsync();
        await _node.DisposeAsync();
    }

    private static Gen<string> Body()
    {
        var value = Gen.OneOf(Gen.Elements(Values), ArbMap.Default.GeneratorFor<string>().Select(s => JsonSerializer.Serialize(s ?? "")),
            ArbMap.Default.GeneratorFor<double>().Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "0"));
        var pair = Gen.OneOf(
            Gen.Elements(Keys).SelectMany(k => value.Select(v => $"{JsonSerializer.Serialize(k)}:{v}")),
            Gen.Elements(Types).Select(t => $"\"type\":\"{t}\""));
        var obj = pair.ListOf().Select(p => "{" + string.Join(",", p) + "}");
        var malformed = ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "");
        return Gen.Frequency((6, obj), (1, malformed), (1, Gen.Elements(Values)));
    }

    private (HttpStatusCode Status, string Text) Send(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = _http.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return (response.StatusCode, reader.ReadToEnd());
    }

    [Property]
    public Property No_json_body_yields_a_5xx() =>
        Prop.ForAll(Body().ToArbitrary(), body =>
        {
            foreach (var path in new[] { "/toxics", "/chaos/start" })
            {
                var (status, text) = Send(HttpMethod.Post, path, body);
                Assert.True((int)status < 500, $"POST {path} {body}: {(int)status} {text}");
                if ((int)status >= 400) Assert.Contains("\"error\"", text);
            }

            Send(HttpMethod.Post, "/chaos/stop");
            foreach (var toxic in _node.Runtime.Toxics.All.ToList()) Send(HttpMethod.Delete, "/toxics/" + Uri.EscapeDataString(toxic.Name));
        });

    [Property]
    public Property No_id_name_or_mode_in_the_path_yields_a_5xx() =>
        Prop.ForAll(Gen.OneOf(Gen.Elements(Values), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "")).ToArbitrary(), raw =>
        {
            var text = Uri.EscapeDataString(raw.Length > 2000 ? raw[..2000] : raw);
            foreach (var (method, path) in new[]
                     {
                         (HttpMethod.Post, $"/connections/{text}/kill"), (HttpMethod.Post, $"/connections/1/kill?mode={text}"),
                         (HttpMethod.Post, $"/listeners/{text}x/kill"), (HttpMethod.Post, $"/links/{text}x/kill"), (HttpMethod.Delete, $"/toxics/{text}x"),
                     })
            {
                var (status, body) = Send(method, path);
                Assert.True((int)status < 500, $"{method} {path}: {(int)status} {body}");
            }

            Assert.Equal(HttpStatusCode.OK, Send(HttpMethod.Get, "/status").Status);
        });

    [Theory(Timeout = 30_000)]
    [InlineData("/toxics", """{"name":"t","type":"latency","listener":"echo","latency":"1e300ms"}""", "latency")]
    [InlineData("/toxics", """{"name":"t","type":"latency","listener":"echo","latency":"NaN"}""", "latency")]
    [InlineData("/toxics", """{"name":"t","type":"bandwidth","listener":"echo","rate":"NaN"}""", "rate")]
    [InlineData("/toxics", """{"name":"t","type":"drop","listener":"echo","probability":1e400}""", "probability")]
    [InlineData("/toxics", """{"name":"t","type":"reset-after","listener":"echo","bytes":-1}""", "bytes")]
    [InlineData("/chaos/start", """{"interval":"1e300s"}""", "interval")]
    [InlineData("/chaos/start", """{"interval":"0.001ms"}""", "interval")]
    [InlineData("/chaos/start", """{"probability":"NaN"}""", "probability")]
    [InlineData("/chaos/start", """{"seed":1e300}""", "seed")]
    public async Task Out_of_range_numbers_get_400_with_the_reason(string path, string body, string key)
    {
        using var response = await _http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(key, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
        Assert.Empty(_node.Runtime.Toxics.All);
        Assert.False((await _node.Control.ChaosStatusAsync()).Data is ChaosMonkey.Status { Running: true });
    }
}
