using ActorNet.Config;
using ActorNet.Node.Cli;
using ActorNet.Node.Logging;
using Akka;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace ActorNet.Node.Hosting;

/// <summary>
/// Runs a node inside the .NET Generic Host with Akka.Hosting: Serilog for every log (Akka's included),
/// the ActorSystem named after the node, the node guardian started by <see cref="NodeEntryPoints.Start"/>,
/// and <see cref="NodeEntryPoints.Stop"/> awaited in CoordinatedShutdown's <c>service-unbind</c> phase.
/// SIGINT/SIGTERM stop the host, which runs CoordinatedShutdown; the process then exits 0.
/// </summary>
public static class NodeHost
{
    /// <summary>Name of the CoordinatedShutdown task that stops the node.</summary>
    public const string ShutdownTaskName = "actornet-stop-node";

    /// <summary>Runs until the host stops. Returns 0 after a clean shutdown, 1 if the node failed to start or Akka itself
    /// stopped it (downed, join given up, outbound cluster TLS handshake failed).</summary>
    public static async Task<int> RunAsync(NodeSettings settings, NodeEntryPoints entryPoints, TextWriter stderr,
        CancellationToken cancellationToken = default)
    {
        Log.Logger = SerilogSetup.CreateLogger(settings.Logging, settings.NodeName);
        var log = Log.ForContext(typeof(NodeHost));
        var state = new NodeRunState();
        try
        {
            using var host = Build(settings, entryPoints, state, Log.Logger);
            await host.RunAsync(cancellationToken);

            if (state.StartFailure is { } failure)
                return Fail(log, stderr, $"node {settings.NodeName} failed to start: {failure.GetType().Name}: {failure.Message}");
            if (!state.Started)
                return Fail(log, stderr, $"node {settings.NodeName} did not start (see the log above)");
            // Akka itself may stop a node: the split-brain resolver downed it, it could not join its seeds, or its
            // outbound cluster TLS handshake failed (Akka.Remote 1.5.75 stops a misconfigured member). That is a
            // failure for whoever supervises the process (systemd's Restart=on-failure), not a clean stop.
            if (state.StopReason is { } reason && !NodeRunState.IsRequested(reason))
                return Fail(log, stderr, $"node {settings.NodeName} was stopped by Akka: {NodeRunState.Describe(reason)}");

            log.Information("node {NodeName} stopped", settings.NodeName);
            return ExitCodes.Ok;
        }
        catch (Exception ex)
        {
            // The host and Akka.Hosting have already logged the stack trace; keep it at Debug here.
            log.Debug(ex, "node {NodeName} failed", settings.NodeName);
            var cause = state.StartFailure ?? ex;
            return Fail(log, stderr, $"node {settings.NodeName} failed: {cause.GetType().Name}: {cause.Message}");
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    /// <summary>Builds (does not start) the host for <paramref name="settings"/>, logging to <paramref name="logger"/>.</summary>
    public static IHost Build(NodeSettings settings, NodeEntryPoints entryPoints, NodeRunState state, Serilog.ILogger logger)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        // Serilog does the filtering; without this Microsoft.Extensions.Logging drops Debug before Serilog sees it.
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddSerilog(logger, dispose: false);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        // Room for CoordinatedShutdown: the drain (service-unbind) and Akka's later phases.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Shutdown.PhaseTimeout + TimeSpan.FromSeconds(25));

        var systemName = ActorSystemNames.Sanitize(settings.SystemName);
        builder.Services.AddAkka(systemName, (akka, _) =>
        {
            akka.AddHocon(settings.Config, HoconAddMode.Prepend);
            // cluster TLS: the certificates and the CA check go in as a setup (see ClusterTlsSettings)
            if (settings.Cluster.Enabled && settings.Cluster.Tls.CreateSetup() is { } tls) akka.AddSetup(tls);
            // A server sees many writes racing a client's close; those dead letters are expected, not news.
            // A node's own akka { } section can turn them back on.
            akka.AddHocon("akka.log-dead-letters = off\nakka.log-dead-letters-during-shutdown = off", HoconAddMode.Append);
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = SerilogSetup.ToAkka(settings.Logging.Level);
                loggers.LogConfigOnStart = false;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            akka.WithActors((system, _) => StartNode(system, settings, entryPoints, state, logger.ForContext(typeof(NodeHost))));
        });
        builder.Services.AddHostedService(sp => new Admin.AdminHostedService(sp, settings, state, logger));
        return builder.Build();
    }

    private static void StartNode(ActorSystem system, NodeSettings settings, NodeEntryPoints entryPoints, NodeRunState state,
        Serilog.ILogger log)
    {
        try
        {
            var guardian = entryPoints.Start(system, settings);
            var stopTimeout = StopTimeout(system);
            // kill -HUP: reload, as nats-server, haproxy and most IRC servers do. Without a handler .NET would exit.
            var hangup = entryPoints.Reload is null ? null : System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGHUP, context =>
                {
                    context.Cancel = true;
                    log.Information("SIGHUP: reloading the configuration of node {NodeName}", settings.NodeName);
                    system.ActorSelection(ActorNet.Admin.NodeControl.AdminPath).Tell(new ActorNet.Admin.ConfigReloader.Reload(false, "SIGHUP"));
                });
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, ShutdownTaskName, async () =>
            {
                hangup?.Dispose();
                state.MarkStopping(CoordinatedShutdown.Get(system).ShutdownReason);
                try
                {
                    await entryPoints.Stop(guardian, stopTimeout);
                }
                catch (TimeoutException ex)
                {
                    log.Warning("node {NodeName}: {Failure}", settings.NodeName, ex.Message);
                }
                catch (Exception ex)
                {
                    log.Warning(ex, "node {NodeName} did not stop cleanly", settings.NodeName);
                }
                return Done.Instance;
            });
            state.MarkStarted();
            log.Information(
                "node {NodeName} started as ActorSystem {ActorSystem} with {ListenerCount} listener(s)",
                settings.NodeName, system.Name, settings.Listeners.Count);
        }
        catch (Exception ex)
        {
            state.MarkFailed(ex);
            throw;
        }
    }

    /// <summary>The service-unbind phase timeout less a margin, so StopAsync ends before the phase gives up.</summary>
    private static TimeSpan StopTimeout(ActorSystem system)
    {
        var phase = system.Settings.Config.GetTimeSpan(
            "akka.coordinated-shutdown.phases.service-unbind.timeout", TimeSpan.FromSeconds(10), allowInfinite: false);
        var timeout = phase - TimeSpan.FromSeconds(1);
        return timeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : timeout;
    }

    private static int Fail(Serilog.ILogger log, TextWriter stderr, string message)
    {
        log.Fatal("{Failure}", message);
        stderr.WriteLine($"actornet: {message}");
        return ExitCodes.Failure;
    }
}

/// <summary>What happened while the host ran: whether the node started, or why it did not.</summary>
public sealed class NodeRunState
{
    private volatile bool _started;
    private volatile Exception? _startFailure;

    /// <summary>True once the node guardian started and its shutdown task is registered.</summary>
    public bool Started => _started;

    /// <summary>The exception thrown while starting the node, if any.</summary>
    public Exception? StartFailure => _startFailure;

    internal void MarkStarted() => _started = true;

    internal void MarkFailed(Exception ex) => _startFailure = ex;

    private volatile CoordinatedShutdown.Reason? _stopReason;

    /// <summary>Why the node's actor system shut down (CoordinatedShutdown's reason), once it began to.</summary>
    public CoordinatedShutdown.Reason? StopReason => _stopReason;

    internal void MarkStopping(CoordinatedShutdown.Reason? reason) => _stopReason = reason;

    /// <summary>A stop someone asked for: SIGINT/SIGTERM (the host's stop), the actor system terminated by its owner,
    /// or the node left the cluster on request. Anything else (downed, join given up, TLS handshake failed) is not.</summary>
    public static bool IsRequested(CoordinatedShutdown.Reason reason) =>
        reason is CoordinatedShutdown.ClrExitReason or CoordinatedShutdown.ActorSystemTerminateReason
            or CoordinatedShutdown.UnknownReason or CoordinatedShutdown.ClusterLeavingReason;

    /// <summary>The reason's kind, and its text when it says more (Akka.Remote's TLS reason names the peer).</summary>
    public static string Describe(CoordinatedShutdown.Reason reason)
    {
        var name = reason.GetType().Name;
        var text = reason.ToString();
        return string.IsNullOrEmpty(text) || text.Contains(name, StringComparison.Ordinal) || text == reason.GetType().FullName ? name : $"{name}: {text}";
    }
}
