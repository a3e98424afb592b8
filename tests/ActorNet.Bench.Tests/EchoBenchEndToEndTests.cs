using System.Net;
using ActorNet.Bench.Baseline;
using ActorNet.Bench.Clients;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Tests;

/// <summary>Bounded end-to-end runs of the bench clients against the in-process raw baseline server.</summary>
public class EchoBenchEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Echo_bench_against_the_baseline_gets_every_line_back_in_order()
    {
        await using var server = BaselineServer.Start(new IPEndPoint(IPAddress.Loopback, 0), BaselineMode.Echo);
        var o = new BenchOptions { Port = server.EndPoint.Port, Clients = 3, Messages = 500, Size = 64, Timeout = Bound, Progress = false };
        var report = await EchoBench.RunAsync(o, TextWriter.Null, CancellationToken.None).WaitAsync(Bound);
        Assert.True(report.Ok, report.ToTable());
        Assert.Equal(1500, report.Get("echoed"));
        Assert.Equal(0, report.Get("lost"));
        Assert.Equal(0, report.Get("reordered"));
        Assert.True(report.Get("msgs_per_s") > 0);
    }

    [Fact]
    public async Task Fanout_bench_against_the_baseline_delivers_each_message_to_every_other_member()
    {
        await using var server = BaselineServer.Start(new IPEndPoint(IPAddress.Loopback, 0), BaselineMode.Irc);
        var o = new BenchOptions { Port = server.EndPoint.Port, Clients = 4, Messages = 200, Timeout = Bound, Progress = false };
        var report = await FanoutBench.RunAsync(o, FanoutProtocol.Irc, TextWriter.Null, CancellationToken.None).WaitAsync(Bound);
        Assert.True(report.Ok, report.ToTable());
        Assert.Equal(4 * 3 * 200, report.Get("delivered"));
        Assert.Equal(0, report.Get("duplicated"));
        Assert.Equal(0, report.Get("invalid"));
    }

    [Fact]
    public async Task Connect_bench_holds_registered_connections_and_the_json_is_parseable()
    {
        await using var server = BaselineServer.Start(new IPEndPoint(IPAddress.Loopback, 0), BaselineMode.Irc);
        var o = new BenchOptions { Port = server.EndPoint.Port, Clients = 20, Hold = TimeSpan.Zero, Timeout = Bound, Progress = false };
        var report = await ConnectBench.RunAsync(o, TextWriter.Null, CancellationToken.None).WaitAsync(Bound);
        Assert.True(report.Ok, report.ToTable());
        Assert.Equal(20, report.Get("established"));
        Assert.Equal(20, report.Get("held_open"));
        using var doc = System.Text.Json.JsonDocument.Parse(report.ToJson());
        Assert.Equal(20, doc.RootElement.GetProperty("established").GetDouble());
    }

    [Fact]
    public async Task A_refused_port_is_reported_as_an_error_not_a_hang()
    {
        int port;
        await using (var probe = BaselineServer.Start(new IPEndPoint(IPAddress.Loopback, 0), BaselineMode.Echo))
            port = probe.EndPoint.Port;
        var o = new BenchOptions { Port = port, Clients = 2, Messages = 10, Timeout = TimeSpan.FromSeconds(5), Progress = false };
        var report = await EchoBench.RunAsync(o, TextWriter.Null, CancellationToken.None).WaitAsync(Bound);
        Assert.False(report.Ok);
        Assert.NotEmpty(report.Errors);
    }
}
