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
        try
        {
            if (string.IsNullOrEmpty(admin.Token))
            {
                // Loopback only (NodeConfiguration refuses a non-loopback bind without a token before anything starts).
                var file = AdminTokenFile.PathFor(settings);
                admin = admin with { Token = AdminTokenFile.Generate(file) };
                logger.Information("admin token generated (none configured): written to {TokenFile}, readable only by this user; actornet ctl reads it from there, the dashboard asks for it", file);
            }

            var system = (ActorSystem)services.GetService(typeof(ActorSystem))!;
            _endpoint = await AdminEndpoint.StartAsync(system, settings, admin, logger);
        }
        catch (Exception ex)
        {
            logger.Error("admin endpoint did not start on http {Endpoint}: {Error}", admin.BindDisplay, ex.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_endpoint is not null) await _endpoint.DisposeAsync();
    }
}
