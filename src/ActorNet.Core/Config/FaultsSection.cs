using ActorNet.Admin;
using ActorNet.Faults;

namespace ActorNet.Config;

/// <summary>Parses <c>actornet.admin</c> and <c>actornet.faults</c> (toxics and chaos mode).</summary>
internal static class FaultsSection
{
    private const string AdminPath = "actornet.admin";
    private const string FaultsPath = "actornet.faults";
    private const string ChaosPath = FaultsPath + ".chaos";

    public static AdminSettings ParseAdmin(Akka.Configuration.Config full, Akka.Configuration.Config given, ConfigErrors errors)
    {
        errors.UnknownKeys(given, AdminPath, ["enabled", "bind", "token", "read-token", "token-file", "allowed-hosts", "auth-throttle"]);
        errors.UnknownKeys(given, AdminPath + ".auth-throttle", ["failures", "window", "max-clients"]);
        var section = full.GetConfig(AdminPath);
        if (section is null) return AdminSettings.Default;
        var enabled = errors.Bool(section, AdminPath, "enabled") ?? false;
        var bindText = errors.String(section, AdminPath, "bind") ?? "127.0.0.1:8080";
        var bind = ListenerSection.ParseHostPort(bindText, AdminPath + ".bind", minPort: 0, bindable: true, errors);
        var token = errors.String(section, AdminPath, "token");
        var readToken = errors.String(section, AdminPath, "read-token");
        var tokenFile = errors.String(section, AdminPath, "token-file");
        var hosts = errors.StringList(section, AdminPath, "allowed-hosts") ?? [];
        foreach (var (name, secret) in new[] { ("token", token), ("read-token", readToken) })
        {
            if (string.IsNullOrEmpty(secret)) continue;
            if (secret.Length < 16) errors.Add($"{AdminPath}.{name}", "must be at least 16 characters (a guessable token is no protection); leave it empty and the node makes a random one");
            else if (secret.Any(c => c <= ' ' || c > '~')) errors.Add($"{AdminPath}.{name}", "must be printable ASCII without spaces (it travels in an HTTP header)");
        }

        if (!string.IsNullOrEmpty(readToken) && readToken == token)
            errors.Add(AdminPath + ".read-token", "must differ from token");
        var throttle = ActorNet.Security.ThrottleSettings.Default;
        var throttlePath = AdminPath + ".auth-throttle";
        if (section.GetConfig("auth-throttle") is { } t)
        {
            var failures = errors.Int(t, throttlePath, "failures") ?? throttle.Failures;
            var window = errors.Duration(t, throttlePath, "window") ?? throttle.Window;
            var maxClients = errors.Int(t, throttlePath, "max-clients") ?? throttle.MaxTracked;
            if (failures is < 1 or > 1000) errors.Add(throttlePath + ".failures", $"must be 1..1000 (got {failures})");
            if (window < TimeSpan.FromSeconds(1) || window > TimeSpan.FromDays(1)) errors.Add(throttlePath + ".window", $"must be 1s..1d (got {window})");
            if (maxClients is < 1 or > 1_000_000) errors.Add(throttlePath + ".max-clients", $"must be 1..1000000 (got {maxClients})");
            throttle = new ActorNet.Security.ThrottleSettings(failures, window, maxClients);
        }

        return new AdminSettings(enabled, bind?.Host ?? "127.0.0.1", bind?.Port ?? 8080, string.IsNullOrEmpty(token) ? null : token)
        {
            ReadToken = string.IsNullOrEmpty(readToken) ? null : readToken,
            TokenFile = string.IsNullOrEmpty(tokenFile) ? null : tokenFile,
            AllowedHosts = hosts.Count == 0 ? Array.Empty<string>() : hosts,
            AuthThrottle = throttle,
        };
    }

    public static FaultSettings ParseFaults(Akka.Configuration.Config full, Akka.Configuration.Config given, IReadOnlyList<ListenerSettings> listeners, ConfigErrors errors)
    {
        errors.UnknownKeys(given, FaultsPath, ["seed", "toxics", "max-toxics", "chaos"]);
        errors.UnknownKeys(given, ChaosPath, ["enabled", "seed", "interval", "probability", "modes", "listeners", "targets", "max-events"]);
        var section = full.GetConfig(FaultsPath);
        if (section is null) return FaultSettings.Default;
        var seed = errors.Int(section, FaultsPath, "seed") ?? 1;
        var maxToxics = errors.Int(section, FaultsPath, "max-toxics") ?? 100;
        if (maxToxics < 1) errors.Add(FaultsPath + ".max-toxics", $"must be >= 1 (got {maxToxics})");
        var names = listeners.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);

        var toxics = new List<ToxicSpec>();
        foreach (var key in NodeSettingsLoader.KeysOf(full, FaultsPath + ".toxics"))
        {
            var path = $"{FaultsPath}.toxics.{key}";
            var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = key };
            var toxicSection = full.GetConfig(path);
            foreach (var field in NodeSettingsLoader.KeysOf(full, path))
                if (errors.String(toxicSection, path, field) is { } text) values[field] = text;
            var toxic = ToxicParser.Parse(values, out var problems);
            foreach (var problem in problems)
            {
                var colon = problem.IndexOf(':');
                errors.Add($"{path}.{problem[..colon]}", problem[(colon + 1)..].Trim());
            }

            if (toxic is null) continue;
            if (toxic.Listener is { } l && !names.Contains(l)) errors.Add(path + ".listener", $"no listener named '{l}'");
            else toxics.Add(toxic);
        }

        var chaos = ChaosSettings.Default;
        var c = full.GetConfig(ChaosPath);
        if (c is not null)
        {
            var enabled = errors.Bool(c, ChaosPath, "enabled") ?? false;
            var chaosSeed = errors.Int(c, ChaosPath, "seed") ?? 0;
            var interval = errors.Duration(c, ChaosPath, "interval") ?? TimeSpan.FromSeconds(1);
            var probability = errors.Double(c, ChaosPath, "probability") ?? 0.5;
            if (interval <= TimeSpan.Zero) errors.Add(ChaosPath + ".interval", $"must be > 0 (got {interval})");
            if (probability is < 0 or > 1) errors.Add(ChaosPath + ".probability", $"must be between 0 and 1 (got {probability})");
            var modes = new List<KillMode>();
            foreach (var text in errors.StringList(c, ChaosPath, "modes") ?? ["close", "reset", "crash"])
            {
                if (KillModes.TryParse(text, out var mode)) modes.Add(mode);
                else errors.Add(ChaosPath + ".modes", $"unknown mode '{text}' (expected close, reset or crash)");
            }

            if (modes.Count == 0) errors.Add(ChaosPath + ".modes", "give at least one of close, reset, crash");
            var chaosListeners = errors.StringList(c, ChaosPath, "listeners") ?? [];
            foreach (var l in chaosListeners)
                if (!names.Contains(l)) errors.Add(ChaosPath + ".listeners", $"no listener named '{l}'");
            var targets = new List<ChaosTarget>();
            var targetNames = errors.StringList(c, ChaosPath, "targets") ?? ["connections"];
            foreach (var text in targetNames)
            {
                if (ChaosTargets.TryParse(text, out var target)) targets.Add(target);
                else errors.Add(ChaosPath + ".targets", $"unknown target '{text}' (expected connections or services)");
            }

            if (targetNames.Count == 0) errors.Add(ChaosPath + ".targets", "give at least one of connections, services");
            var maxEvents = errors.Int(c, ChaosPath, "max-events") ?? 100;
            if (maxEvents < 0) errors.Add(ChaosPath + ".max-events", $"must be >= 0, 0 = keep none (got {maxEvents})");
            chaos = new ChaosSettings(enabled, chaosSeed, interval, probability, modes.Distinct().ToList(), chaosListeners)
            {
                Targets = targets.Distinct().ToList(),
                MaxEvents = maxEvents,
            };
        }

        if (toxics.Count > maxToxics)
            errors.Add(FaultsPath + ".toxics", $"{toxics.Count} toxics configured, more than max-toxics ({maxToxics})");
        return new FaultSettings(toxics, chaos, seed) { MaxToxics = maxToxics };
    }
}
