using ActorNet.Chat.Cluster;
using ActorNet.Chat.Protocol;
using Akka.Actor;

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

    private IrcMessage UnreachableNick(string me, string nick) =>
        Core.Replies.Numeric(Server, Numerics.ERR_NOSUCHNICK, me, nick, "No such nick/channel (its server is unreachable)");
}
