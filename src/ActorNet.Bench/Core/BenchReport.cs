using System.Text;
using System.Text.Json;

namespace ActorNet.Bench.Core;

/// <summary>One figure of a run.</summary>
public sealed record Metric(string Name, double Value, string Unit);

/// <summary>The outcome of one bench run: workload, target and ordered metrics.</summary>
public sealed record BenchReport(string Workload, string Target, IReadOnlyList<Metric> Metrics, IReadOnlyList<string> Errors)
{
    /// <summary>Free-form label carried into the JSON (bench/run-bench.sh: <c>case|server</c>).</summary>
    public string? Label { get; init; }

    /// <summary>True when the run had no error and nothing was lost, duplicated or reordered.</summary>
    public bool Ok => Errors.Count == 0 && Get("lost") is null or 0 && Get("duplicated") is null or 0 && Get("reordered") is null or 0;

    /// <summary>A metric's value by name, or null.</summary>
    public double? Get(string name) => Metrics.FirstOrDefault(m => m.Name == name)?.Value;

    /// <summary>The report as an aligned text table.</summary>
    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.Append(Workload).Append(" -> ").AppendLine(Target);
        int width = Metrics.Count == 0 ? 10 : Metrics.Max(m => m.Name.Length) + 2;
        foreach (var m in Metrics)
            sb.Append("  ").Append(m.Name.PadRight(width)).Append(Format(m.Value).PadLeft(16)).Append(' ').AppendLine(m.Unit);
        foreach (var e in Errors)
            sb.Append("  error: ").AppendLine(e);
        return sb.ToString();
    }

    /// <summary>The report as one JSON object: workload, target, ok, metrics by name, errors.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("workload", Workload);
            w.WriteString("target", Target);
            if (Label is not null)
                w.WriteString("label", Label);
            w.WriteBoolean("ok", Ok);
            foreach (var m in Metrics)
                w.WriteNumber(m.Name, Math.Round(m.Value, 3));
            w.WriteStartArray("errors");
            foreach (var e in Errors)
                w.WriteStringValue(e);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Format(double v) =>
        Math.Abs(v - Math.Round(v)) < 1e-9 ? ((long)Math.Round(v)).ToString("N0") : v.ToString("N2");
}
