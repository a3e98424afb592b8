using Akka.Actor;
using Akka.Event;

namespace ActorNet.Admin;

/// <summary>
/// Who may command the control-plane actors (admin, fault injector, chaos monkey): only actors of this node's own
/// ActorSystem. Akka.Remote delivers any message to any path, so without this check anyone who can reach the
/// remoting port could kill connections or start chaos. A local sender's address has no host
/// (<see cref="Address.HasLocalScope"/>); a remote one names its system's host and port. A message without a sender
/// is refused too: Akka.Remote delivers a remote Tell with no sender as if it came from the (local) dead-letters
/// actor, so "no sender" cannot prove the message is local. Every local caller (the admin endpoint, ctl) asks.
/// </summary>
public sealed class ControlPlaneGuard
{
    private readonly ActorSystem _system;
    private readonly ILoggingAdapter _log;
    private readonly string _actor;
    private long _refused;

    public ControlPlaneGuard(ActorSystem system, ILoggingAdapter log, string actor)
    {
        _system = system;
        _log = log;
        _actor = actor;
    }

    /// <summary>Commands refused so far.</summary>
    public long Refused => _refused;

    /// <summary>True when <paramref name="sender"/> is a real actor of this ActorSystem.</summary>
    public static bool IsLocal(IActorRef? sender, ActorSystem system) =>
        sender is not null && !sender.IsNobody() && !sender.Equals(system.DeadLetters) && sender.Path.Address.HasLocalScope;

    /// <summary>Refuses <paramref name="command"/>: logs (the first and then every 100th, so a flood cannot flood the
    /// log) and replies 403 when there is someone to reply to.</summary>
    public void Refuse(object command, IActorRef? sender, IActorRef self)
    {
        _refused++;
        var from = sender is null || sender.IsNobody() || sender.Equals(_system.DeadLetters) ? "no sender" : sender.Path.Address.ToString();
        if (_refused % 100 == 1)
            _log.Warning("{Actor}: refused {Command} from {From}: control-plane commands are accepted only from this node ({Refused} refused so far)",
                _actor, command.GetType().Name, from, _refused);
        if (sender is not null && !sender.IsNobody() && !sender.Equals(_system.DeadLetters))
            sender.Tell(AdminResult.Forbidden($"{command.GetType().Name} is accepted only from the node itself, not from {from}"), self);
    }
}
