using ActorNet.Admin;
using ActorNet.Config;
using ActorNet.Node.Hosting;
using Akka.Actor;
using Microsoft.Extensions.Hosting;

namespace ActorNet.Node.Admin;

/// <summary>Serves the admin endpoint while the node runs (when <c>actornet.admin.enabled</c>). Started after the
/// ActorSystem (registered after Akka.Hosting) and stopped before it. A port that cannot be bound is logged as an
/// error; the node keeps serving its listeners.</summary>
internal sealed class AdminHostedService(IServiceProvider services, NodeSettings settings, NodeRunState state, Serilog.ILogger logger) : IHostedService
{
    private AdminEndpoint? _endpoint;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var admin = settings.AdminOrDefault.WithEnvironment();
        if (!admin.Enabled || !state.Started) return;
        if (string.IsNullOrEmpty(admin.Token))
            logger.Warning("admin endpoint has no token (actornet.admin.token or {Variable}): mutating calls will be refused", AdminSettings.TokenEnvironmentVariable);
        try
        {
            var system = (ActorSystem)services.GetService(typeof(ActorSystem))!;
            _endpoint = await AdminEndpoint.StartAsync(system, settings, admin, logger);
        }
        catch (Exception ex)
        {
            logger.Error("admin endpoint could not bind http {Endpoint}: {Error}", admin.BindDisplay, ex.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_endpoint is not null) await _endpoint.DisposeAsync();
    }
}
