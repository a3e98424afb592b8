using ActorNet.Config;
using ActorNet.Config.Reload;
using ActorNet.Handlers;
using ActorNet.Supervision;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Admin;

/// <summary>What re-reading the configuration gave: the validated settings, or every error as a printable line
/// (<c>FILE: HOCON.PATH: reason</c>, as <c>actornet check</c> prints them).</summary>
public sealed record ReloadInput(NodeSettings? Settings, IReadOnlyList<string> Errors)
{
    public static ReloadInput Failed(string error) => new(null, [error]);
}

/// <summary>Re-reads and validates the node's configuration (the file(s) and overrides it was started with). Called
/// off the actor's thread: it may read files.</summary>
public delegate ReloadInput ConfigReloadSource();

/// <summary>
/// /user/actornet/admin/reload: the one place a reload happens, whatever asked for it (SIGHUP, <c>ctl reload</c>,
/// <c>POST /reload</c>, IRC REHASH — all send <see cref="Reload"/>). Re-reads the configuration off-thread (PipeTo),
/// validates all of it, computes the <see cref="ReloadPlan"/> and either applies all of it (through the node
/// guardian) or nothing: errors and refused keys leave the running configuration in force and are logged and
/// replied. States: Idle(running) → Loading → Applying → Idle(next).
/// </summary>
public sealed class ConfigReloader : ReceiveActor
{
    /// <summary>Reload now (or, DryRun, only say what a reload would change). Replies an <see cref="AdminResult"/>:
    /// Done with the plan's lines as Data, BadRequest with the config errors, Conflict with refused keys.</summary>
    /// <param name="From">dry run only: plan against this configuration instead of re-reading the node's own
    /// (<c>actornet ctl reload --dry-run --file other.conf</c>: what would this file change on the running node?)</param>
    public sealed record Reload(bool DryRun, string RequestedBy, ConfigReloadSource? From = null);

    private sealed record Loaded(ReloadInput Input, IActorRef ReplyTo, Reload Request);

    private readonly ConfigReloadSource? _source;
    private readonly HandlerCatalog _catalog;
    private readonly IActorRef _guardian;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ConfigReloader(NodeSettings running, ConfigReloadSource? source, HandlerCatalog catalog, IActorRef guardian)
    {
        _source = source;
        _catalog = catalog;
        _guardian = guardian;
        Idle(running);
    }

    private void Idle(NodeSettings running)
    {
        Receive<Reload>(reload =>
        {
            if (reload.From is not null && !reload.DryRun)
            {
                Sender.Tell(new AdminResult(AdminOutcome.BadRequest, "a configuration sent along is only compared (dry-run); a reload re-reads the node's own file"));
                return;
            }

            if ((reload.From ?? _source) is null)
            {
                Sender.Tell(AdminResult.Conflict("this node was started without a configuration file to re-read"));
                return;
            }

            var replyTo = Sender;
            var source = reload.From ?? _source!;
            Task.Run(() => source()).PipeTo(Self,
                success: input => new Loaded(input, replyTo, reload),
                failure: e => new Loaded(ReloadInput.Failed($"could not re-read the configuration: {e.GetBaseException().Message}"), replyTo, reload));
            Become(() => Loading(running));
        });
    }

    private void Loading(NodeSettings running)
    {
        Receive<Reload>(_ => Sender.Tell(AdminResult.Conflict("a reload is in progress; try again")));
        Receive<Loaded>(loaded =>
        {
            var request = loaded.Request;
            if (loaded.Input.Settings is not { } next || loaded.Input.Errors.Count > 0)
            {
                foreach (var error in loaded.Input.Errors)
                    _log.Warning("reload ({RequestedBy}) refused: {ConfigError}", request.RequestedBy, error);
                loaded.ReplyTo.Tell(new AdminResult(AdminOutcome.BadRequest,
                    $"configuration invalid, nothing changed:\n{string.Join("\n", loaded.Input.Errors)}", loaded.Input.Errors));
                Become(() => Idle(running));
                return;
            }

            var plan = ReloadPlan.Compute(running, next);
            var lines = plan.Describe();
            if (!plan.Ok)
            {
                foreach (var refused in plan.Refused)
                    _log.Warning("reload ({RequestedBy}) refused: {ConfigError}", request.RequestedBy, refused.ToString());
                loaded.ReplyTo.Tell(new AdminResult(AdminOutcome.Conflict, $"reload refused, nothing changed:\n{string.Join("\n", lines)}", lines));
                Become(() => Idle(running));
                return;
            }

            if (request.DryRun || plan.IsEmpty)
            {
                loaded.ReplyTo.Tell(AdminResult.Done((request.DryRun ? "a reload would change:\n" : "reloaded:\n") + string.Join("\n", lines), lines));
                Become(() => Idle(running));
                return;
            }

            var listeners = ActorNetNode.Resolve(next, _catalog, out var errors);
            if (errors.Count > 0)
            {
                loaded.ReplyTo.Tell(new AdminResult(AdminOutcome.BadRequest, "configuration invalid, nothing changed:\n" + string.Join("\n", errors), errors.Select(e => e.ToString()).ToList()));
                Become(() => Idle(running));
                return;
            }

            _log.Info("reload ({RequestedBy}): {Changes}", request.RequestedBy, string.Join("; ", lines));
            _guardian.Tell(new NodeGuardian.ApplyReload(next, listeners, plan));
            Become(() => Applying(next, loaded.ReplyTo, lines));
        });
    }

    private void Applying(NodeSettings next, IActorRef replyTo, IReadOnlyList<string> lines)
    {
        Receive<Reload>(_ => Sender.Tell(AdminResult.Conflict("a reload is in progress; try again")));
        Receive<NodeGuardian.ReloadApplied>(_ =>
        {
            replyTo.Tell(AdminResult.Done("reloaded:\n" + string.Join("\n", lines), lines));
            Become(() => Idle(next));
        });
    }
}
