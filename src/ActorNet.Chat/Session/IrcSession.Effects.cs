using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Server;
using ActorNet.Transport;
using Akka.Actor;
using Akka.Event;
using Akka.IO;

namespace ActorNet.Chat.Session;

/// <summary>
/// Carrying out what a command decided, in order: the new state saved, its effects (replies, requests to the chat
/// service or straight to a joined channel's actor, ERROR and close) one after another, and labeled-response's
/// collected lines sent as one reply.
/// </summary>
public sealed partial class IrcSession
{
    /// <summary>Takes the new state (saving it in the service) and carries out the effects in order.</summary>
    private void Commit(CoreResult result, bool first = false)
    {
        if (!ReferenceEquals(result.State, _state))
        {
            _state = result.State;
            _server.Tell(new SaveState(Self, Handler.ConnectionActor, _state, ++_saveSeq));
        }

        if (first)
            for (var i = result.Effects.Count - 1; i >= 0; i--) _pending.AddFirst(result.Effects[i]);
        else
            foreach (var effect in result.Effects) _pending.AddLast(effect);
        Drain();
    }

    private void Drain()
    {
        List<ByteString>? replies = null; // consecutive replies leave as one SendMany
        while (!_awaiting && !_closing && _pending.First is { } node)
        {
            if (_inFlight > 0 && !Pipelines(node.Value)) break; // wait until the channel completed them all
            _pending.RemoveFirst();
            if (node.Value is Reply reply)
            {
                (replies ??= new List<ByteString>()).Add(Outgoing.Encode(reply.Message));
                continue;
            }

            SendReplies(ref replies);
            switch (node.Value)
            {
                case Request { Body: MessageRequest m } when ChannelActorFor(m) is { } channel:
                    channel.Tell(new ToChannel(new FromSession(Self, ReplyTo, m), new MemberRef(Self, ReplyTo, _state)));
                    if (_inFlight++ == 0)
                    {
                        _pipeTo = channel;
                        Timers.StartSingleTimer(RequestTimeout.Instance, RequestTimeout.Instance, Settings.RequestTimeout);
                    }

                    break;
                case Request r:
                    _server.Tell(new FromSession(Self, ReplyTo, r.Body));
                    _awaiting = true;
                    Timers.StartSingleTimer(RequestTimeout.Instance, RequestTimeout.Instance, Settings.RequestTimeout);
                    break;
                case Notify n:
                    _server.Tell(new FromSession(Self, Handler.ConnectionActor, n.Body));
                    break;
                case CloseLink c:
                    CloseWith(c.Reason, c.Text);
                    break;
                case RehashRequested:
                    // the node's one reloader (SIGHUP, ctl reload, POST /reload): it answers an AdminResult (OnRehashed)
                    Context.ActorSelection(ActorNet.Admin.NodeControl.AdminPath)
                        .Tell(new ActorNet.Admin.ConfigReloader.Reload(false, $"IRC REHASH by {_state.NickOrStar} from {_state.Host}"), Self);
                    break;
                case OperFailed f:
                    var left = _rt.OperThrottle.Failed(_state.Host);
                    _log.Warning("chat: failed OPER {OperName} ({Failure}) by {Nick} from {Remote} on connection {ConnectionId}; {Left} attempt(s) left from this address before throttling",
                        f.Name, f.UnknownName ? "no such operator" : "wrong password", _state.NickOrStar, _state.Host, Handler.Connection.Id, left);
                    break;
            }
        }

        SendReplies(ref replies);
        if (_label is not null && !_awaiting && _inFlight == 0 && _pending.Count == 0 && !_closing) FinishLabel();
    }

    /// <summary>A line the chat service sent to this session as the connection of a labeled command: collected;
    /// one that comes after the command was done goes on to the connection.</summary>
    private void OnReplyLine(Connection.Send line)
    {
        if (_labeled is not null) _labeled.Add(line.Payload);
        else Handler.ConnectionActor.Tell(line, ActorRefs.NoSender);
    }

    /// <summary>The labeled command is done: its lines leave as one labeled line, a labeled batch, or an ACK.</summary>
    private void FinishLabel()
    {
        var label = _label!;
        var collected = _labeled!;
        _label = null;
        _labeled = null;
        var lines = new List<IrcMessage>(collected.Count);
        foreach (var payload in collected)
            if (IrcParser.TryParse(payload.ToReadOnlySpan(), out var line, out _, int.MaxValue)) lines.Add(line);
        var batchId = Handler.Connection.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + ++_batchSeq;
        var wrapped = LabeledResponse.Wrap(Settings.ServerName, label, lines, _state.Has(LabeledResponse.BatchCap), batchId);
        if (wrapped.Count == 1) Send(Outgoing.Encode(wrapped[0]));
        else SendMany(wrapped.Select(Outgoing.Encode).ToList());
    }

    /// <summary>The reloader's answer to REHASH, as NOTICEs (the first lines: a long plan is cut, the log has it all).</summary>
    private void OnRehashed(ActorNet.Admin.AdminResult result)
    {
        const int maxLines = 20;
        var lines = result.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var notices = lines.Take(maxLines)
            .Select(line => Outgoing.Encode(new Protocol.IrcMessage(Settings.ServerName, "NOTICE", [_state.NickOrStar, "*** REHASH: " + line])))
            .ToList();
        if (lines.Length > maxLines)
            notices.Add(Outgoing.Encode(new Protocol.IrcMessage(Settings.ServerName, "NOTICE", [_state.NickOrStar, $"*** REHASH: ... {lines.Length - maxLines} more line(s) in the node's log"])));
        SendMany(notices);
    }

    private static bool IsOper(Protocol.IrcMessage message) => string.Equals(message.Command, "OPER", StringComparison.OrdinalIgnoreCase) && message.ParamCount >= 2;

    private void SendReplies(ref List<ByteString>? replies)
    {
        if (replies is null) return;
        if (_labeled is not null)
        {
            _labeled.AddRange(replies);
            replies = null;
            return;
        }

        if (replies.Count == 1) Send(replies[0]);
        else SendMany(replies);
        replies = null;
    }

    /// <summary>The actor of the joined channel a PRIVMSG/NOTICE goes to, or null (not a channel, not joined, or not
    /// known since a restart: then it goes through the chat service).</summary>
    private IActorRef? ChannelActorFor(MessageRequest m) =>
        _channelActors.Count > 0 && IrcNames.IsChannelName(m.Target, _chanTypes)
            && _channelActors.TryGetValue(Settings.CaseMapping.Fold(m.Target), out var channel)
            ? channel
            : null;

    /// <summary>May this effect go out while channel messages are in flight? Only another one to the same channel.</summary>
    private bool Pipelines(Effect effect) =>
        _label is null && _inFlight < Settings.MaxPipelined && effect is Request { Body: MessageRequest m } && ChannelActorFor(m) is { } channel && channel.Equals(_pipeTo);

    /// <summary>A channel actor stopped (the chat service restarted): forget it; what was in flight to it is lost.</summary>
    private void OnChannelGone(Terminated t)
    {
        foreach (var key in _channelActors.Where(kv => kv.Value.Equals(t.ActorRef)).Select(kv => kv.Key).ToList())
            _channelActors.Remove(key);
        if (!t.ActorRef.Equals(_pipeTo) || _inFlight == 0) return;
        _inFlight = 0;
        Timers.Cancel(RequestTimeout.Instance);
        Drain();
        Pump();
    }
}
