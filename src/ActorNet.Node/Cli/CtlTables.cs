using System.Text.Json;

namespace ActorNet.Node.Cli;

/// <summary>Readable tables for <c>actornet ctl</c> (the default; <c>--json</c> prints the raw reply).</summary>
internal static class CtlTables
{
    public static void Status(JsonElement s, TextWriter o)
    {
        o.WriteLine($"node {S(s, "node")} {S(s, "version")}, up {TimeSpan.FromSeconds(s.GetProperty("uptimeSeconds").GetInt64())}, {s.GetProperty("connections")} connection(s)");
        Table(o, ["LISTENER", "TRANSPORT", "ENDPOINT", "CONNECTIONS"],
            s.GetProperty("listeners").EnumerateArray().Select(l => new[] { S(l, "name"), S(l, "transport"), S(l, "endpoint") is { Length: > 0 } e ? e : "(re-binding)", S(l, "connections") }));
    }

    public static void Connections(JsonElement a, TextWriter o) =>
        Table(o, ["ID", "LISTENER", "REMOTE", "OPENED", "FRAMES IN/OUT", "BYTES IN/OUT", "QUEUED", "RESTARTS"],
            a.EnumerateArray().Select(c => new[]
            {
                S(c, "id"), S(c, "listener"), S(c, "remote"), S(c, "openedAt"),
                $"{S(c, "framesIn")}/{S(c, "framesOut")}", $"{S(c, "bytesIn")}/{S(c, "bytesOut")}", S(c, "queuedBytes"), S(c, "handlerRestarts"),
            }));

    public static void Cluster(JsonElement c, TextWriter o)
    {
        if (!c.GetProperty("enabled").GetBoolean())
        {
            o.WriteLine("this node is not clustered (actornet.cluster.enabled = off)");
            return;
        }

        o.WriteLine($"self {S(c, "self")}, leader {S(c, "leader")}");
        Table(o, ["ADDRESS", "NODE", "STATUS", "REACHABLE", "ROLES", "CONNECTIONS"], c.GetProperty("members").EnumerateArray().Select(m => new[]
        {
            S(m, "address"), S(m, "node"), S(m, "status"), S(m, "reachable"),
            string.Join(",", m.GetProperty("roles").EnumerateArray().Select(r => r.GetString())), S(m, "connections"),
        }));
    }

    public static void Links(JsonElement a, TextWriter o) =>
        Table(o, ["NAME", "KIND", "CONNECTION", "TARGET"], a.EnumerateArray().Select(l => new[] { S(l, "name"), S(l, "kind"), S(l, "connection"), S(l, "target") }));

    public static void Tree(JsonElement reply, TextWriter o)
    {
        void Walk(JsonElement node, string indent)
        {
            var restarts = node.GetProperty("restarts").GetInt64();
            o.WriteLine($"{indent}{S(node, "name")}  [{S(node, "kind")}]{(restarts > 0 ? $"  restarts {restarts}" : "")}");
            foreach (var child in node.GetProperty("children").EnumerateArray()) Walk(child, indent + "  ");
        }

        o.WriteLine(S(reply, "message"));
        Walk(reply.GetProperty("data"), "");
    }

    public static void Toxics(JsonElement reply, TextWriter o) =>
        Table(o, ["NAME", "TYPE", "DIRECTION", "TARGET", "PARAMETERS"], reply.GetProperty("data").EnumerateArray().Select(t =>
        {
            var fields = t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            var target = fields.TryGetValue("connection", out var c) ? "connection " + c : "listener " + fields.GetValueOrDefault("listener");
            var parameters = string.Join(" ", fields.Where(f => f.Key is not ("name" or "type" or "direction" or "listener" or "connection")).Select(f => $"{f.Key}={f.Value}"));
            return new[] { fields["name"], fields["type"], fields["direction"], target, parameters };
        }));

    public static void Chaos(JsonElement reply, TextWriter o)
    {
        o.WriteLine(S(reply, "message"));
        if (reply.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object)
            o.WriteLine($"running {S(d, "running")}, seed {S(d, "seed")}, draws {S(d, "draws")}, kills {S(d, "kills")}, interval {S(d, "interval")}, probability {S(d, "probability")}, modes {string.Join(",", d.GetProperty("modes").EnumerateArray().Select(m => m.GetString()))}, targets {(d.TryGetProperty("targets", out var t) ? string.Join(",", t.EnumerateArray().Select(m => m.GetString())) : "connections")}");
    }

    public static void Message(JsonElement reply, TextWriter o) => o.WriteLine(S(reply, "message"));

    private static string S(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) ? "" : v.ValueKind == JsonValueKind.String ? v.GetString()! : v.ValueKind == JsonValueKind.Null ? "" : v.GetRawText();

    private static void Table(TextWriter o, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
            o.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }
}
