using ActorNet.Chat.Cluster;
using ActorNet.Chat.Protocol;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// Cluster mode, commands on a user of another node: checked on the asker's node (where the asker's state and, for
/// INVITE, its copy of the channel are), then sent straight to the target node's <c>chat/users</c>, which acts on
/// its own user. An INVITE goes to the target's node because that is where the target's JOIN is checked.
/// </summary>
public sealed partial class UsersActor
{
    private void ReceiveRemoteCommands()
    {
        Receive<RemoteInvite>(OnRemoteInvite);
        // the operator's node checked that the killer is an operator (481 otherwise), as for a local KILL
        Receive<RemoteKill>(k =>
        {
            var found = TryFind(k.TargetNick, out var victim);
            if (found) Kill(victim, k.Killer, k.Reason);
            Sender.Tell(new PrivateLineResult(k.Id, found), Self);
        });
    }

    /// <summary>INVITE of a user of another node: to the channel here, which checks it (442, 482, 443) and sends it
    /// on. False when the nick is not a remote user.</summary>
    private bool InviteRemote(FromSession r, User user, Core.InviteRequest i)
    {
        if (!Clustered || !_remoteUsers.TryGetValue(i.Nick, out var far)) return false;
        var me = user.State.NickOrStar;
        if (Unreachable(far.Node))
        {
            r.Session.Tell(new Core.RepliesEvent([UnreachableNick(me, far.Info.Nick)]));
            return true;
        }

        var message = new ToChannel(r, user.Ref) { RemoteTarget = new RemoteInvitee(far.Info, PeerUsers(far.Node), _selfNode) };
        Tree.Channels.Tell(new ChannelsActor.Route(i.Channel, message, Create: false, Core.Replies.NoSuchChannel(Server, me, i.Channel)));
        return true;
    }

    /// <summary>Another node's user invited one of ours: the invitation is remembered in our copy of the channel
    /// first (through <c>channels</c>, so it is there before any JOIN the target sends after seeing the line).</summary>
    private void OnRemoteInvite(RemoteInvite i)
    {
        if (!TryFind(i.TargetNick, out var target)) return; // gone (or renamed) on the way
        var line = i.Line.ToOutgoing();
        Tree.Channels.Tell(new ChannelsActor.ToEach([i.ChannelKey], new ChannelActor.RemoteInvited(target.State.NickOrStar, line)));
        target.Connection.Tell(line.For(target.State.Caps), ActorRefs.NoSender);
        target.Session.Tell(new Core.InvitedEvent(i.ChannelName));
    }

    /// <summary>KILL of a user of another node: sent to its node, which disconnects it; every node sees its QUIT
    /// (that node announces it like any QUIT). Returns the error for the operator: 401 when the nick is on no node
    /// or its node is unreachable; null when sent. Acknowledged like a private line (Users.RemotePrivate.cs): the
    /// operator gets 401 later when the user was gone there, or when the node becomes unreachable or leaves first.</summary>
    private IrcMessage? KillRemote(User oper, Core.KillRequest k)
    {
        var me = oper.State.NickOrStar;
        if (!Clustered || !_remoteUsers.TryGetValue(k.Nick, out var far)) return Core.Replies.NoSuchNick(Server, me, k.Nick);
        if (Unreachable(far.Node)) return UnreachableNick(me, far.Info.Nick);
        _log.Warning("chat: {Oper} kills {Nick} on {Node}: {Reason}", me, far.Info.Nick, far.Node, k.Reason);
        var id = ++_lineSeq;
        Track(far.Node, id, new PendingLine(oper.Session, far.Info.Nick));
        PeerUsers(far.Node).Tell(new RemoteKill(_selfNode, id, far.Info.Nick, me, k.Reason), Self);
        return null;
    }

    private IrcMessage UnreachableNick(string me, string nick) =>
        Core.Replies.Numeric(Server, Numerics.ERR_NOSUCHNICK, me, nick, "No such nick/channel (its server is unreachable)");
}
