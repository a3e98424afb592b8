using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ActorNet.Bench.Core;

/// <summary>
/// Medians and ratios over a JSON-lines file of labelled bench reports (<c>"label": "case|server"</c>), as written
/// by bench/run-bench.sh. Per case: every server's median of the case's key metric, and the ratio of ActorNet to
/// each other server (higher is better, except for latency where lower is better).
/// </summary>
public static class Summary
{
    /// <summary>The figure compared per workload.</summary>
    public static string KeyMetric(string workload, string label) => workload switch
    {
        "fanout" or "nats-fanout" when label.Contains("rate", StringComparison.Ordinal) => "latency_p99_us",
        "fanout" or "nats-fanout" => "deliveries_per_s",
        "echo" => "msgs_per_s",
        "connect" => "connects_per_s",
        "udp" => "relayed_per_s",
        "proxy" => "mb_per_s",
        _ => "duration_s",
    };

    /// <summary>Median of a list (mean of the two middle values for an even count); 0 when empty.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
            return 0;
        var sorted = values.OrderBy(v => v).ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Builds the summary table from JSON lines.</summary>
    public static string Summarize(IEnumerable<string> jsonLines, string reference = "actornet")
    {
        var rows = new List<(string Case, string Server, string Metric, double Value, bool Ok, double? Extra)>();
        foreach (var line in jsonLines)
        {
            if (string.IsNullOrWhiteSpace(line) || line[0] != '{')
                continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("label", out var labelEl) || labelEl.GetString() is not { } label)
                continue;
            var parts = label.Split('|', 2);
            if (parts.Length != 2)
                continue;
            string workload = root.GetProperty("workload").GetString() ?? "";
            string metric = KeyMetric(workload, parts[0]);
            double value = root.TryGetProperty(metric, out var v) ? v.GetDouble() : 0;
            double? extra = root.TryGetProperty("server_rss_per_conn_kib", out var rss) ? rss.GetDouble() : null;
            rows.Add((parts[0], parts[1], metric, value, root.GetProperty("ok").GetBoolean(), extra));
        }
        var sb = new StringBuilder();
        foreach (var group in rows.GroupBy(r => r.Case))
        {
            string metric = group.First().Metric;
            bool lowerIsBetter = metric.StartsWith("latency", StringComparison.Ordinal);
            sb.Append(group.Key).Append("  (median ").Append(metric).AppendLine(lowerIsBetter ? ", lower is better)" : ")");
            // Medians over the runs that were OK (no error, nothing lost); all runs when none was.
            var medians = group.GroupBy(r => r.Server).ToDictionary(g => g.Key, g => (
                Value: Median((g.Any(r => r.Ok) ? g.Where(r => r.Ok) : g).Select(r => r.Value).ToList()),
                Runs: g.Count(),
                Failed: g.Count(r => !r.Ok),
                Rss: g.Any(r => r.Extra is not null) ? Median(g.Where(r => r.Extra is not null).Select(r => r.Extra!.Value).ToList()) : (double?)null));
            medians.TryGetValue(reference, out var refValue);
            foreach (var (server, m) in medians)
            {
                sb.Append("  ").Append(server.PadRight(12)).Append(m.Value.ToString("N0", CultureInfo.InvariantCulture).PadLeft(14));
                sb.Append($"  runs={m.Runs}");
                if (m.Failed > 0)
                    sb.Append($" NOT-OK={m.Failed} (median of the OK runs)");
                if (m.Rss is { } rss)
                    sb.Append(CultureInfo.InvariantCulture, $" rss/conn={rss:N1}KiB");
                if (server != reference && medians.ContainsKey(reference) && m.Value > 0 && refValue.Value > 0)
                {
                    double ratio = refValue.Value / m.Value; // latency: <= 1 means the reference is at least as fast
                    sb.Append(CultureInfo.InvariantCulture, $"  {reference}/{server} = {ratio:N2}");
                }
                sb.AppendLine();
            }
        }
        return sb.ToString();
    }
}
