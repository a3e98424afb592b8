using ActorNet.Chat.Server;
using Akka.Actor;

namespace ActorNet.Chat.Cluster;

/// <summary>
/// Upper bounds of what <see cref="ChatProtocolSerializer"/> writes for a record, so <c>cluster-link</c> can keep a
/// batch below Akka.Remote's maximum frame size (128 000 bytes by default) before serializing it: Akka.Remote drops a
/// larger message with only a log line, and every event in it would be lost to the other nodes. Every field counts
/// (the sender's real name and away message, a JOIN's ban lists), at the most UTF-8 can take: 3 bytes per UTF-16
/// code unit. A test checks the bound against the serializer for any record.
/// </summary>
internal static class WireSize
{
    /// <summary>A length-delimited field's tag and length (a tag below field 16 is one byte, a length at most five).</summary>
    private const int Field = 8;

    /// <summary>A varint field: its tag and at most ten bytes.</summary>
    private const int Scalar = 12;

    public static int Of(string? s) => s is null ? 0 : Field + 3 * s.Length;

    public static int Of(Address? a) => a is null ? 0 : Of(a.ToString());

    private static int Of(string[] list)
    {
        var n = 0;
        foreach (var s in list) n += Of(s);
        return n;
    }

    public static int Of(WireLine l) => Field + Field + l.Body.Count + Scalar + Of(l.MsgId);

    public static int Of(RemoteUserInfo u) =>
        Field + Of(u.Nick) + Of(u.User) + Of(u.Host) + Of(u.RealName) + Of(u.Away) + 2 * Scalar;

    public static int Of(ChannelModes m) => Field + 11 * Scalar + Of(m.Key) + Of(m.Bans) + Of(m.Excepts) + Of(m.InviteExcepts);

    public static int Of(ChannelStamp? s) => s is null ? 0 : Field + Scalar + Of(s.Node);

    public static int Of(ChannelChange change) => Field + change switch
    {
        MemberJoined j => Scalar + Of(j.Modes) + Of(j.Stamp),
        MemberKicked k => Of(k.Target),
        ChannelMessage => Scalar,
        TopicChanged t => Of(t.Topic),
        ModesChanged m => ModeChanges(m.Changes),
        _ => 0, // PART, QUIT: the case alone
    };

    private static int ModeChanges(ModeChange[] changes)
    {
        var n = 0;
        foreach (var c in changes) n += Field + 2 * Scalar + Of(c.Arg);
        return n;
    }

    public static int Of(UserChange change) => Field + change switch
    {
        UserRegistered r => Of(r.Info),
        UserUpdated u => Of(u.Info),
        UserRenamed r => Of(r.NewNick) + Of(r.Line),
        UserQuit q => Of(q.Line),
        _ => 0,
    };

    public static long Of(NodeSnapshot s)
    {
        long n = Header(s);
        foreach (var u in s.Users) n += Of(u);
        foreach (var c in s.Channels)
        {
            n += Head(c);
            foreach (var member in c.Members) n += Of(member);
        }

        return n;
    }

    public static long Of(NodeSnapshotPart p) => 3 * Scalar + Field + Of(p.Content);

    /// <summary>A snapshot's origin and node name (what every part of a split one repeats).</summary>
    public static int Header(NodeSnapshot s) => Of(s.Origin) + Of(s.NodeName);

    /// <summary>A channel of a snapshot without its members (what every part holding some of them repeats).</summary>
    public static int Head(ChannelSnapshot c) =>
        Field + Of(c.Key) + Of(c.Name) + Of(c.Topic) + Of(c.TopicSetter) + Scalar + Of(c.Stamp) + (c.Modes is { } m ? Of(m) : 0);

    public static int Of(ChannelMemberInfo m) => Field + Of(m.Nick) + 2 * Scalar;
}
