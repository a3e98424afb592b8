using System.Text;
using System.Text.Json;
using ActorNet.Runtime;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.AspNetCore.Http;

namespace ActorNet.Node.Admin;

/// <summary>
/// <c>GET /events</c>: the node's live events (<see cref="NodeEvents"/>) as Server-Sent Events, one
/// <c>event: KIND</c> / <c>data: JSON</c> block per event. A client that stops reading fills its own bounded buffer
/// (<c>actornet.events.consumer-buffer</c>) and is dropped — the response ends — while the node and the other
/// consumers go on.
/// </summary>
internal static class EventStream
{
    public const string ContentType = "text/event-stream";

    /// <summary>One event as its SSE block (pure).</summary>
    public static string Format(NodeEvent nodeEvent) =>
        $"event: {nodeEvent.Kind}\ndata: {JsonSerializer.Serialize(nodeEvent, nodeEvent.GetType(), AdminEndpoint.Json)}\n\n";

    public static async Task ServeAsync(HttpContext http, ActorSystem system, Serilog.ILogger log)
    {
        var events = NodeEvents.Get(system);
        http.Response.ContentType = ContentType;
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var aborted = http.RequestAborted;
        var ((ready, kill), done) = events.Subscribe()
            .ViaMaterialized(KillSwitches.Single<NodeEvent>(), Keep.Both)
            .SelectAsync(1, async e =>
            {
                await http.Response.WriteAsync(Format(e), Encoding.UTF8, aborted);
                await http.Response.Body.FlushAsync(aborted);
                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Both)
            .Run(system.Materializer());
        using var registration = aborted.Register(kill.Shutdown);
        try
        {
            // The comment line tells the client the stream is live: from here on it misses no event.
            await ready.WaitAsync(aborted);
            await http.Response.WriteAsync(": actornet events\n\n", aborted);
            await http.Response.Body.FlushAsync(aborted);
            await done;
        }
        catch (BufferOverflowException)
        {
            log.Warning("events consumer {Remote} dropped: it fell more than {Buffer} events behind", http.Connection.RemoteIpAddress, events.ConsumerBuffer);
            http.Abort();
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
    }
}
