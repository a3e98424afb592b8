using ActorNet.Config;
using ActorNet.Handlers;
using ActorNet.Supervision;
using Akka.Actor;

namespace ActorNet;

/// <summary>Entry points to run an ActorNet node inside an ActorSystem.</summary>
public static class ActorNetNode
{
    /// <summary>Name of the top guardian: /user/actornet.</summary>
    public const string GuardianName = "actornet";

    /// <summary>Checks what the settings loader cannot (e.g. custom handler types resolve). Empty = OK.</summary>
    public static IReadOnlyList<ConfigError> Validate(NodeSettings settings, HandlerCatalog? catalog = null)
    {
        Resolve(settings, catalog ?? HandlerCatalog.Default, out var errors);
        return errors;
    }

    /// <summary>Starts the node guardian (/user/actornet) and with it every listener. Throws on settings that
    /// <see cref="Validate"/> would reject.</summary>
    /// <param name="reload">re-reads the configuration for a reload (SIGHUP, ctl reload, REHASH); null = the node
    /// cannot reload (settings built in code)</param>
    public static IActorRef Start(ActorSystem system, NodeSettings settings, HandlerCatalog? catalog = null, Admin.ConfigReloadSource? reload = null)
    {
        var handlers = catalog ?? HandlerCatalog.Default;
        var listeners = Resolve(settings, handlers, out var errors);
        if (errors.Count > 0)
            throw new ArgumentException("invalid node settings: " + string.Join("; ", errors), nameof(settings));
        return system.ActorOf(Props.Create(() => new NodeGuardian(settings, listeners, handlers, reload)), GuardianName);
    }

    /// <summary>Drains and unbinds every listener: connections flush what is queued (up to
    /// <c>actornet.shutdown.drain-timeout</c>, <see cref="ShutdownSettings.StopTimeout"/> in all), then the listeners
    /// unbind. Called from CoordinatedShutdown's service-unbind phase. Throws <see cref="TimeoutException"/> when the
    /// node did not report itself stopped within <paramref name="timeout"/>: the caller logs it, and connections still
    /// open are reset as the actor system terminates.</summary>
    public static async Task StopAsync(IActorRef guardian, TimeSpan timeout)
    {
        try
        {
            await guardian.Ask<NodeGuardian.NodeStopped>(NodeGuardian.StopNode.Instance, timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            throw new TimeoutException($"shutdown drain ran out: the listeners did not finish draining and unbinding within {timeout}");
        }
    }

    /// <summary>Waits until every listener named in <paramref name="settings"/> is bound and returns the bound endpoints
    /// by listener name (the real port when the config asked for port 0). Throws TimeoutException, or
    /// InvalidOperationException when the guardian stops meanwhile (its actor system shut down, e.g. because the
    /// cluster extension failed to start).</summary>
    public static async Task<IReadOnlyDictionary<string, System.Net.EndPoint>> WaitForBindingsAsync(IActorRef guardian, NodeSettings settings, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var unwatch = new CancellationTokenSource();
        var stopped = guardian.WatchAsync(unwatch.Token);
        _ = stopped.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // a cancelled watch is no error
        try
        {
            return await PollAsync().ConfigureAwait(false);
        }
        finally
        {
            unwatch.Cancel();
        }

        async Task<IReadOnlyDictionary<string, System.Net.EndPoint>> PollAsync()
        {
            while (true)
            {
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero) break;
                if (stopped.IsCompletedSuccessfully && await stopped.ConfigureAwait(false))
                    throw new InvalidOperationException("the node stopped before its listeners were bound (its actor system shut down: see its log)");
                try
                {
                    // asked in short rounds: a guardian that stopped meanwhile is noticed in seconds, not at the deadline
                    var round = remaining < TimeSpan.FromSeconds(5) ? remaining : TimeSpan.FromSeconds(5);
                    var bindings = await guardian.Ask<ListenerSupervisor.Bindings>(ListenerSupervisor.GetBindings.Instance, round).ConfigureAwait(false);
                    if (settings.Listeners.All(l => bindings.Bound.ContainsKey(l.Name)))
                        return bindings.Bound.ToDictionary(b => b.Key, b => b.Value.Endpoint);
                }
                catch (AskTimeoutException)
                {
                    // no answer this round: busy, or stopped (checked above)
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
            }

            throw new TimeoutException($"listeners not bound within {timeout}");
        }
    }

    internal static List<(ListenerSettings Listener, ResolvedHandler Handler)> Resolve(NodeSettings settings, HandlerCatalog catalog, out List<ConfigError> errors)
    {
        errors = new List<ConfigError>();
        var resolved = new List<(ListenerSettings, ResolvedHandler)>();
        foreach (var listener in settings.Listeners)
        {
            var handler = catalog.Resolve(listener, out var error);
            if (handler is null)
            {
                errors.Add(new ConfigError(listener.Path + ".handler", error ?? "cannot resolve handler"));
                continue;
            }

            foreach (var problem in handler.Stream?.Validate(listener) ?? [])
                if (!errors.Contains(problem)) errors.Add(problem);
            resolved.Add((handler.Stream?.Configure(listener) ?? listener, handler));
        }

        return resolved;
    }
}
