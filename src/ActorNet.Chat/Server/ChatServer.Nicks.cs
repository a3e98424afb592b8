using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Chat.Server;

public sealed partial class ChatServer
{
    /// <summary>
    /// Cluster mode: the nick is free here and not known on another node; ask the registry. The request completes when
    /// its answer comes (<see cref="OnClaimResult"/>), or with 437 after <see cref="ClaimTimeout"/>.
    /// </summary>
    private bool ClaimRemotely(FromSession r, string nick, string? release)
    {
        if (!_clustered) return false;
        if (_remoteUsers.ContainsKey(nick))
        {
            r.Session.Tell(new NickInUseEvent(nick));
            return true;
        }

        var id = ++_claimSeq;
        Context.Watch(r.Session);
        var timeout = Context.System.Scheduler.ScheduleTellOnceCancelable(ClaimTimeout, Self, new ClaimTimedOut(id), Self);
        _claims[id] = new PendingClaim(r, nick, timeout);
        _registry.Tell(new NickRegistry.Claim(id, nick, release, _selfNode, Claimant(r.Session)), Self);
        return true;
    }

    private void OnClaimResult(NickRegistry.ClaimResult result)
    {
        if (!_claims.Remove(result.Id, out var claim) || claim.Dead)
        {
            if (result.Granted && !TryFindSession(result.Claimant, result.Nick)) ReleaseNick(result.Nick, result.Claimant);
            return;
        }

        claim.Timeout.Cancel();
        var r = claim.Origin;
        if (!result.Granted)
        {
            r.Session.Tell(new NickInUseEvent(claim.Nick));
            return;
        }

        switch (r.Request)
        {
            case RegisterRequest reg when !LocallyTaken(reg.Nick, r.Session):
                CompleteRegister(r, reg);
                break;
            case ChangeNickRequest n when _users.TryGetValue(r.Session, out var user) && user.State.Registered && !LocallyTaken(n.NewNick, r.Session):
                CompleteNickChange(user, n.NewNick);
                break;
            default:
                ReleaseNick(claim.Nick, Claimant(r.Session));
                if (_users.ContainsKey(r.Session) || r.Request is RegisterRequest) r.Session.Tell(new NickInUseEvent(claim.Nick));
                break;
        }
    }

    private void OnClaimTimedOut(ClaimTimedOut t)
    {
        if (!_claims.Remove(t.Id, out var claim)) return;
        _log.Warning("chat: nick registry did not answer the claim of {Nick} in {Timeout}", claim.Nick, ClaimTimeout);
        if (!claim.Dead) claim.Origin.Session.Tell(new NickInUseEvent(claim.Nick, Unavailable: true));
        // a late grant is released in OnClaimResult (the claim is gone)
    }

    /// <summary>A session went away: its pending claims are answered by releasing what they win.</summary>
    private void ForgetClaims(IActorRef session)
    {
        foreach (var claim in _claims.Values)
            if (claim.Origin.Session.Equals(session)) claim.Dead = true;
    }

    private bool TryFindSession(string claimant, string nick) =>
        _nicks.TryGetValue(nick, out var session) && Claimant(session) == claimant;

    private bool LocallyTaken(string nick, IActorRef session) => _nicks.TryGetValue(nick, out var owner) && !owner.Equals(session);

    private void ReleaseNick(string nick, string claimant)
    {
        if (_clustered) _registry.Tell(new NickRegistry.Release(nick, _selfNode, claimant), Self);
    }

    private void AnnounceUser(string kind, SessionState state, string? newNick = null, Outgoing? line = null)
    {
        if (UserAnnouncement(kind, state, newNick, line) is { } e) ToPeers(e);
    }

    /// <summary>The event for the other nodes about a local user (null on a single node).</summary>
    private UserEvent? UserAnnouncement(string kind, SessionState state, string? newNick = null, Outgoing? line = null) =>
        _clustered ? new UserEvent(_selfNode, kind, state.NickOrStar, Info(state), newNick, line is null ? null : WireLine.From(line)) : null;

    /// <summary>PRIVMSG/NOTICE to a user of another node: sent to that node's chat service.</summary>
    private bool PrivateMessageRemote(User from, MessageRequest m)
    {
        if (!_clustered || !_remoteUsers.TryGetValue(m.Target, out var target) || !_peers.TryGetValue(target.Node, out var peer)) return false;
        var message = new Outgoing(new IrcMessage(from.State.Prefix, m.Command, [target.Info.Nick, m.Text]), _time.GetUtcNow());
        peer.Tell(new PrivateLine(_selfNode, target.Info.Nick, WireLine.From(message)), Self);
        if (from.State.Has(CapCommands.EchoMessage)) from.Connection.Tell(message.For(from.State.Caps), ActorRefs.NoSender);
        from.Session.Tell(m.Command != "NOTICE" && target.Info.Away is { } away
            ? new RepliesEvent([Replies.Numeric(Server, Numerics.RPL_AWAY, from.State.NickOrStar, target.Info.Nick, away)])
            : Completed.Instance);
        return true;
    }
}
