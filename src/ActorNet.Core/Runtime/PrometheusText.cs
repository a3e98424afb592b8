using System.Globalization;
using System.Text;
using ActorNet.Transport;

using ActorNet.Faults;

namespace ActorNet.Runtime;

/// <summary>Renders <see cref="NodeMetrics"/> in the Prometheus text exposition format (version 0.0.4). Pure.</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(IReadOnlyList<ListenerMetrics> listeners)
    {
        var sb = new StringBuilder();
        Family(sb, "actornet_connections_open", "gauge", "Open connections.", listeners, m => m.Open);
        Family(sb, "actornet_connections_accepted_total", "counter", "Accepted connections.", listeners, m => m.Accepted);
        Header(sb, "actornet_connections_closed_total", "counter", "Closed connections by reason.");
        foreach (var m in listeners)
            foreach (var reason in Enum.GetValues<DisconnectReason>())
                if (m.Closed(reason) > 0)
                    Sample(sb, "actornet_connections_closed_total", $"listener=\"{Escape(m.Listener)}\",reason=\"{reason}\"", m.Closed(reason));
        Family(sb, "actornet_frames_in_total", "counter", "Frames (or datagrams) received.", listeners, m => m.FramesIn);
        Family(sb, "actornet_frames_out_total", "counter", "Frames (or datagrams) sent.", listeners, m => m.FramesOut);
        Family(sb, "actornet_bytes_in_total", "counter", "Bytes received.", listeners, m => m.BytesIn);
        Family(sb, "actornet_bytes_out_total", "counter", "Bytes written.", listeners, m => m.BytesOut);
        Family(sb, "actornet_handler_restarts_total", "counter", "Handler restarts (crashes).", listeners, m => m.HandlerRestarts);
        Family(sb, "actornet_slow_consumer_cuts_total", "counter", "Connections cut as slow consumers.", listeners, m => m.SlowConsumerCuts);
        Header(sb, "actornet_kills_total", "counter", "Connections killed by the admin API or chaos, by mode.");
        foreach (var m in listeners)
            foreach (var mode in Enum.GetValues<KillMode>())
                Sample(sb, "actornet_kills_total", $"listener=\"{Escape(m.Listener)}\",mode=\"{KillModes.Name(mode)}\"", m.Kills(mode));
        Family(sb, "actornet_listener_kills_total", "counter", "Listener actors crashed on purpose.", listeners, m => m.ListenerKills);
        Family(sb, "actornet_bind_retries_total", "counter", "Listener re-creations after a failure (bind retries).", listeners, m => m.BindRetries);
        Family(sb, "actornet_toxic_drops_total", "counter", "Frames or datagrams dropped or swallowed by toxics.", listeners, m => m.ToxicDrops);
        Family(sb, "actornet_udp_unverified_drops_total", "counter", "udp-relay datagrams from senders without proof of address (not relayed).", listeners, m => m.UdpUnverifiedDrops);
        Family(sb, "actornet_udp_rate_limit_drops_total", "counter", "udp-relay datagrams over the per-source rate (not relayed).", listeners, m => m.UdpRateLimitDrops);
        Family(sb, "actornet_udp_cookies_sent_total", "counter", "udp-relay COOKIE challenges sent.", listeners, m => m.UdpCookiesSent);
        return sb.ToString();
    }

    private static void Family(StringBuilder sb, string name, string type, string help, IReadOnlyList<ListenerMetrics> listeners, Func<ListenerMetrics, long> value)
    {
        Header(sb, name, type, help);
        foreach (var m in listeners) Sample(sb, name, $"listener=\"{Escape(m.Listener)}\"", value(m));
    }

    private static void Header(StringBuilder sb, string name, string type, string help) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
          .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder sb, string name, string labels, long value) =>
        sb.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
