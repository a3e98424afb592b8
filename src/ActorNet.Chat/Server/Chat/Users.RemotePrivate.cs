using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using Akka.Actor;

namespace ActorNet.Chat.Server;

/// <summary>
/// Cluster mode, PRIVMSG/NOTICE to a user of another node: sent straight to that node's <c>chat/users</c> as a
/// <see cref="PrivateLine"/> and acknowledged with a <see cref="PrivateLineResult"/>. Nothing is lost in silence:
/// a line to a node the failure detector reports unreachable is refused at once, and the lines still unacknowledged
/// when their node becomes unreachable or is removed, or that find their target gone (it quit or was renamed on
/// the way), get their sender <c>401</c> with the reason. At most <see cref="MaxPending"/> lines per node wait for
/// their acknowledgement (older ones are forgotten: a node that keeps acknowledging late is not a lost node).
/// </summary>
public sealed partial class UsersActor
{
    /// <summary>cluster-link → users: the failure detector reports <paramref name="Node"/> unreachable.</summary>
    public sealed record NodeUnreachable(Address Node);

    private const int MaxPending = 4096;

    private sealed record PendingLine(IActorRef Session, string TargetNick);

    private readonly Dictionary<Address, ActorSelection> _peerUsers = new();

    /// <summary>Per node, the private lines sent there and not acknowledged yet, oldest first.</summary>
    private readonly Dictionary<Address, (Dictionary<long, PendingLine> Lines, Queue<long> Order)> _pending = new();
    private long _lineSeq;

    private void ReceivePrivateLines()
    {
        Receive<PrivateLine>(p =>
        {
            var delivered = TryFind(p.TargetNick, out var target);
            if (delivered) target.Connection.Tell(p.Line.ToOutgoing().For(target.State.Caps), ActorRefs.NoSender);
            Sender.Tell(new PrivateLineResult(p.Id, delivered), Self);
        });
        Receive<PrivateLineResult>(r =>
        {
            if (Sender.Path.Address is not { } node || !_pending.TryGetValue(node, out var pending)
                || !pending.Lines.Remove(r.Id, out var line) || r.Delivered) return;
            Fail(line, "No such nick/channel");
        });
        Receive<NodeUnreachable>(u => FailPending(u.Node, "its server is unreachable"));
    }

    /// <summary>PRIVMSG/NOTICE to a user of another node: sent to that node's <c>chat/users</c>.</summary>
    /// <param name="replyTo">where the echo (echo-message) goes: the sender's connection, or its session while it
    /// collects a labeled response</param>
    private bool PrivateMessageRemote(User from, MessageRequest m, IActorRef replyTo)
    {
        if (!Clustered || !_remoteUsers.TryGetValue(m.Target, out var target)) return false;
        if (m.Command == "TAGMSG")
        {
            from.Session.Tell(Completed.Instance); // TAGMSG stays node-local (README)
            return true;
        }

        if (Unreachable(target.Node))
        {
            from.Session.Tell(new RepliesEvent([Replies.Numeric(Server, Numerics.ERR_NOSUCHNICK, from.State.NickOrStar, target.Info.Nick,
                "No such nick/channel (its server is unreachable)")]));
            return true;
        }

        var message = new Outgoing(new IrcMessage(from.State.Prefix, m.Command, [target.Info.Nick, m.Text]), _time.GetUtcNow(), assignMsgId: true);
        var id = ++_lineSeq;
        Track(target.Node, id, new PendingLine(from.Session, target.Info.Nick));
        var kind = m.Command == "NOTICE" ? MessageKind.Notice : MessageKind.Privmsg;
        PeerUsers(target.Node).Tell(new PrivateLine(_selfNode, id, target.Info.Nick, kind, WireLine.From(message)), Self);
        if (from.State.Has(CapCommands.EchoMessage)) replyTo.Tell(message.For(from.State.Caps), ActorRefs.NoSender);
        from.Session.Tell(m.Command != "NOTICE" && target.Info.Away is { } away
            ? new RepliesEvent([Replies.Numeric(Server, Numerics.RPL_AWAY, from.State.NickOrStar, target.Info.Nick, away)])
            : Completed.Instance);
        return true;
    }

    private bool Unreachable(Address node) =>
        Akka.Cluster.Cluster.Get(Context.System).State.Unreachable.Any(m => m.Address.Equals(node));

    private void Track(Address node, long id, PendingLine line)
    {
        if (!_pending.TryGetValue(node, out var pending)) _pending[node] = pending = (new Dictionary<long, PendingLine>(), new Queue<long>());
        pending.Lines[id] = line;
        pending.Order.Enqueue(id);
        while (pending.Order.Count > MaxPending || (pending.Order.Count > 0 && !pending.Lines.ContainsKey(pending.Order.Peek())))
            pending.Lines.Remove(pending.Order.Dequeue());
    }

    /// <summary>Every line still waiting for <paramref name="node"/>'s acknowledgement gets its sender a 401.</summary>
    private void FailPending(Address node, string why)
    {
        if (!_pending.Remove(node, out var pending)) return;
        foreach (var id in pending.Order)
            if (pending.Lines.TryGetValue(id, out var line)) Fail(line, $"No such nick/channel ({why})");
    }

    private void Fail(PendingLine line, string text)
    {
        if (!_users.TryGetValue(line.Session, out var sender) || !sender.State.Registered) return;
        var reply = Replies.Numeric(Server, Numerics.ERR_NOSUCHNICK, sender.State.NickOrStar, line.TargetNick, text);
        sender.Connection.Tell(new Outgoing(reply, _time.GetUtcNow()).For(sender.State.Caps), ActorRefs.NoSender);
    }

    private ActorSelection PeerUsers(Address node)
    {
        if (!_peerUsers.TryGetValue(node, out var peer))
            _peerUsers[node] = peer = Context.ActorSelection(Self.Path.ToStringWithAddress(node));
        return peer;
    }
}
