using ActorNet.Chat.Cluster;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using Akka.Actor;

namespace ActorNet.Chat.Server;

/// <summary>
/// The founder op across nodes (<see cref="ChannelStamp"/>): the channel's first member here stamps it with the
/// time and this node; every JOIN and snapshot carries the stamp; the stamp that precedes wins everywhere. Statuses
/// that come with a beaten stamp are not taken, and when this node's own stamp is beaten its local members lose
/// their @ and + (one MODE line from the server to them, and the same change to the other nodes).
/// </summary>
public sealed partial class ChannelActor
{
    /// <summary>Null until a first member (here, or another node's that says) gave the channel one.</summary>
    private ChannelStamp? _stamp;

    /// <summary>A local first member: the channel is created now, on this node (its remote address when clustered).</summary>
    private void Found()
    {
        var now = _time.GetUtcNow();
        _stamp = new ChannelStamp(now.UtcTicks, ((ExtendedActorSystem)Context.System).Provider.DefaultAddress);
        _created = now;
    }

    /// <summary>Whether statuses sent with <paramref name="theirs"/> count here.</summary>
    private bool Counts(ChannelStamp? theirs) => ChannelStamp.Counts(theirs, _stamp);

    /// <summary>
    /// Another node's stamp for this channel: kept when it precedes this one (or this one is not known). If this
    /// node's members held statuses under the beaten stamp, they lose them: <paramref name="theirStatuses"/> (the
    /// statuses that came with the winning stamp, already applied) are shown with the loss to the local members, who
    /// have not seen them as a MODE yet.
    /// </summary>
    private void Learn(ChannelStamp? theirs, IReadOnlyList<ModeChange> theirStatuses)
    {
        if (theirs is null || theirs.Equals(_stamp) || (_stamp is not null && !theirs.Precedes(_stamp))) return;
        var beaten = _stamp is not null;
        _stamp = theirs;
        _created = new DateTimeOffset(theirs.CreatedTicks, TimeSpan.Zero);
        // the link's snapshot of this channel must carry the stamp its local members' statuses now count under
        if (_clustered && _members.Count > 0) Link.Tell(new ClusterLinkActor.StampLearned(_key, theirs));
        if (!beaten) return;

        var dropped = new List<ModeChange>();
        Member? subject = null;
        foreach (var (session, m) in _members)
        {
            if (!m.Op && !m.Voice) continue;
            if (m.Op) dropped.Add(new ModeChange(false, 'o', m.Ref.Nick));
            if (m.Voice) dropped.Add(new ModeChange(false, 'v', m.Ref.Nick));
            (m.Op, m.Voice) = (false, false);
            subject ??= m;
            Context.Parent.Tell(new Membership(_key, session, true, "")); // WHOIS shows it
        }

        if (subject is null) return;
        Broadcast(ServerMode([.. dropped, .. theirStatuses]), except: null);
        // the other nodes apply it like any MODE; the event names the first member who lost a status as its user
        if (_clustered)
            Link.Tell(new ChannelEvent(null, _key, _name, RemoteUserInfo.Of(subject.Ref.State), WireLine.From(ServerMode(dropped)), new ModesChanged(dropped.ToArray())));
    }

    private Outgoing ServerMode(IReadOnlyList<ModeChange> changes) =>
        new(new IrcMessage(Server, "MODE", [_name, .. ChannelModeParser.Format(changes)]), _time.GetUtcNow());
}
