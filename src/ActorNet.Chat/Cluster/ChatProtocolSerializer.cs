using System.Runtime.Serialization;
using ActorNet.Chat.Server;
using Akka.Actor;
using Akka.Serialization;
using static ActorNet.Chat.Cluster.ProtoReader;

namespace ActorNet.Chat.Cluster;

/// <summary>
/// The compact binary form of the chat protocol (<see cref="IChatClusterMessage"/>, Protocol.cs), bound in the reference
/// config (<c>akka.actor.serialization-bindings</c>). A string manifest per message type, protobuf fields inside
/// (Google.Protobuf's coded streams, written by hand; field numbers below are the schema and are never reused), so
/// nodes of two versions can talk during a rolling upgrade: a newer sender's extra fields are skipped, and a
/// manifest (or a change kind) this version does not know is refused with <see cref="SerializationException"/>,
/// which Akka.Remote logs and drops instead of delivering a half-understood message.
/// </summary>
public sealed class ChatProtocolSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Unique among the node's serializers (Akka reserves 0-100).</summary>
    public const int Id = 7317;

    public override int Identifier => Id;

    /// <summary>Every manifest, by type: one list, used both ways.</summary>
    private static readonly Dictionary<Type, string> Manifests = new()
    {
        [typeof(EventBatch)] = "eb",
        [typeof(ChannelEvent)] = "ce",
        [typeof(UserEvent)] = "ue",
        [typeof(PrivateLine)] = "pl",
        [typeof(PrivateLineResult)] = "pu",
        [typeof(NodeSnapshot)] = "ns",
        [typeof(NodeSnapshotPart)] = "np",
        [typeof(SnapshotRequest)] = "sr",
        [typeof(NickClaim)] = "nc",
        [typeof(NickClaimResult)] = "nd",
        [typeof(NickRelease)] = "nr",
        [typeof(NickReassert)] = "na",
        [typeof(NickReassertRequest)] = "nq",
        [typeof(NickOwnerQuery)] = "no",
        [typeof(NickOwner)] = "nw",
        [typeof(RemoteInvite)] = "ri",
        [typeof(RemoteKill)] = "rk",
    };

    /// <summary>The message types this serializer writes (the binding test checks every <see cref="IChatClusterMessage"/> is here).</summary>
    public static IReadOnlyCollection<Type> Types => Manifests.Keys;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var m) ? m : throw new ArgumentException($"not a chat protocol message: {o.GetType()}", nameof(o));

    public override byte[] ToBinary(object obj) => obj switch
    {
        EventBatch b => ProtoWriter.Encode(w =>
        {
            // one origin for the batch; the events inside are written without it (fields 2 and 3 interleave in order)
            w.Address(1, b.Origin);
            foreach (var e in b.Events)
                switch (e)
                {
                    case ChannelEvent c: w.Msg(2, c, (n, x) => Write(n, x, withOrigin: false)); break;
                    case UserEvent u: w.Msg(3, u, (n, x) => Write(n, x, withOrigin: false)); break;
                    default: throw new ArgumentException($"not a peer event: {e.GetType()}", nameof(obj));
                }
        }),
        ChannelEvent e => ProtoWriter.Encode(w => Write(w, e, withOrigin: true)),
        UserEvent e => ProtoWriter.Encode(w => Write(w, e, withOrigin: true)),
        PrivateLine p => ProtoWriter.Encode(w =>
        {
            w.Address(1, p.Origin);
            w.Int64(2, p.Id);
            w.Str(3, p.TargetNick);
            w.UInt32(4, (uint)p.Kind);
            w.Msg(5, p.Line, Write);
        }),
        PrivateLineResult u => ProtoWriter.Encode(w =>
        {
            w.Int64(1, u.Id);
            w.Bool(2, u.Delivered);
        }),
        NodeSnapshot s => ProtoWriter.Encode(w => Write(w, s)),
        NodeSnapshotPart p => ProtoWriter.Encode(w =>
        {
            w.Int64(1, p.Id);
            w.UInt32(2, (uint)p.Index);
            w.Bool(3, p.Last);
            w.Msg(4, p.Content, Write);
        }),
        SnapshotRequest r => ProtoWriter.Encode(w => w.Address(1, r.Origin)),
        NickClaim c => ProtoWriter.Encode(w =>
        {
            w.Int64(1, c.Id);
            w.Str(2, c.Nick);
            w.Str(3, c.Release);
            w.Address(4, c.Node);
            w.Str(5, c.Claimant);
        }),
        NickClaimResult r => ProtoWriter.Encode(w =>
        {
            w.Int64(1, r.Id);
            w.Str(2, r.Nick);
            w.Str(3, r.Claimant);
            w.Bool(4, r.Granted);
        }),
        NickRelease r => ProtoWriter.Encode(w =>
        {
            w.Str(1, r.Nick);
            w.Address(2, r.Node);
            w.Str(3, r.Claimant);
        }),
        NickReassert r => ProtoWriter.Encode(w =>
        {
            w.Address(1, r.Node);
            w.Each(2, r.Nicks, (n, h) =>
            {
                n.Str(1, h.Nick);
                n.Str(2, h.Claimant);
            });
        }),
        NickReassertRequest => [],
        NickOwnerQuery q => ProtoWriter.Encode(w => w.Str(1, q.Nick)),
        NickOwner o => ProtoWriter.Encode(w =>
        {
            w.Str(1, o.Nick);
            w.Address(2, o.Node);
        }),
        RemoteInvite i => ProtoWriter.Encode(w =>
        {
            w.Address(1, i.Origin);
            w.Str(2, i.TargetNick);
            w.Str(3, i.ChannelKey);
            w.Str(4, i.ChannelName);
            w.Msg(5, i.Line, Write);
        }),
        RemoteKill k => ProtoWriter.Encode(w =>
        {
            w.Address(1, k.Origin);
            w.Str(2, k.TargetNick);
            w.Str(3, k.Killer);
            w.Str(4, k.Reason);
            w.Int64(5, k.Id);
        }),
        _ => throw new ArgumentException($"not a chat protocol message: {obj.GetType()}", nameof(obj)),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var r = new ProtoReader(bytes);
        return manifest switch
        {
            "eb" => ReadBatch(r),
            "ce" => ReadChannelEvent(r, null),
            "ue" => ReadUserEvent(r, null),
            "pl" => ReadPrivateLine(r),
            "pu" => ReadLineResult(r),
            "ns" => ReadSnapshot(r),
            "np" => ReadSnapshotPart(r),
            "sr" => ReadSnapshotRequest(r),
            "nc" => ReadClaim(r),
            "nd" => ReadClaimResult(r),
            "nr" => ReadRelease(r),
            "na" => ReadReassert(r),
            "nq" => NickReassertRequest.Instance,
            "no" => ReadOwnerQuery(r),
            "nw" => ReadOwner(r),
            "ri" => ReadInvite(r),
            "rk" => ReadKill(r),
            _ => throw new SerializationException($"unknown chat protocol manifest '{manifest}' (a newer node's message?)"),
        };
    }

    // ---- shared parts

    private static void Write(ProtoWriter w, WireLine l)
    {
        w.Bytes(1, l.Body); // straight from the line's bytes into the message: written once
        w.Int64(2, l.TimeMs);
        w.Str(3, l.MsgId);
    }

    private static WireLine ReadLine(ProtoReader r)
    {
        ArraySegment<byte>? body = null;
        long time = 0;
        string? msgId = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: body = r.BytesSlice(); break;
                case 2: time = r.Int64(); break;
                case 3: msgId = r.Str(); break;
                default: r.Skip(); break;
            }

        // a slice of the remote message's array, not a copy: every local member's Send shares these bytes
        var b = body ?? throw new SerializationException("chat protocol message without line body");
        return new WireLine(Akka.IO.ByteString.FromBytes(b.Array!, b.Offset, b.Count), time, msgId);
    }

    private static void Write(ProtoWriter w, RemoteUserInfo u)
    {
        w.Str(1, u.Nick);
        w.Str(2, u.User);
        w.Str(3, u.Host);
        w.Str(4, u.RealName);
        w.Str(5, u.Away);
        w.Bool(6, u.Oper);
        w.Bool(7, u.Invisible);
    }

    private static RemoteUserInfo ReadUser(ProtoReader r)
    {
        string? nick = null, user = null, host = null, realName = null, away = null;
        bool oper = false, invisible = false;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: nick = r.Str(); break;
                case 2: user = r.Str(); break;
                case 3: host = r.Str(); break;
                case 4: realName = r.Str(); break;
                case 5: away = r.Str(); break;
                case 6: oper = r.Bool(); break;
                case 7: invisible = r.Bool(); break;
                default: r.Skip(); break;
            }

        return new RemoteUserInfo(Required(nick, "nick"), user, Required(host, "host"), realName, away, oper, invisible);
    }

    private static void Write(ProtoWriter w, NodeSnapshot s)
    {
        w.Address(1, s.Origin);
        w.Str(2, s.NodeName);
        w.Each(3, s.Users, Write);
        w.Each(4, s.Channels, Write);
    }

    private static void Write(ProtoWriter w, ChannelSnapshot c)
    {
        w.Str(1, c.Key);
        w.Str(2, c.Name);
        w.Str(3, c.Topic);
        w.Str(4, c.TopicSetter);
        w.Int64(5, c.TopicTimeMs);
        w.Each(6, c.Members, (m, member) =>
        {
            m.Str(1, member.Nick);
            m.Bool(2, member.Op);
            m.Bool(3, member.Voice);
        });
        w.Msg(7, c.Modes, WriteModes);
        w.Msg(8, c.Stamp, WriteStamp);
    }

    private static void WriteStamp(ProtoWriter w, ChannelStamp s)
    {
        w.Int64(1, s.CreatedTicks);
        w.Address(2, s.Node);
    }

    private static ChannelStamp ReadStamp(ProtoReader r)
    {
        long ticks = 0;
        Address? node = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: ticks = r.Int64(); break;
                case 2: node = r.Address(); break;
                default: r.Skip(); break;
            }

        return new ChannelStamp(ticks, Required(node, "channel stamp node"));
    }

    private static void WriteModes(ProtoWriter w, ChannelModes m)
    {
        w.Bool(1, m.InviteOnly);
        w.Bool(2, m.Moderated);
        w.Bool(3, !m.NoExternal); // written as "open to outside messages": the default (+n) is absent
        w.Bool(4, !m.TopicLocked); // likewise for +t
        w.Bool(5, m.Secret);
        w.Bool(6, m.Private);
        w.Str(7, m.Key);
        if (m.Limit is { } limit) w.Int64(8, limit + 1L); // +1: a limit of 0 is not "no limit"
        foreach (var ban in m.Bans) w.Str(9, ban);
        w.Bool(10, m.NoCtcp); // 10-12 came later: an older node skips them (and its snapshots leave them out)
        foreach (var mask in m.Excepts) w.Str(11, mask);
        foreach (var mask in m.InviteExcepts) w.Str(12, mask);
    }

    private static ChannelModes ReadModes(ProtoReader r)
    {
        bool i = false, m = false, open = false, unlocked = false, s = false, p = false, noCtcp = false;
        string? key = null;
        int? limit = null;
        List<string> bans = new(), excepts = new(), invex = new();
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: i = r.Bool(); break;
                case 2: m = r.Bool(); break;
                case 3: open = r.Bool(); break;
                case 4: unlocked = r.Bool(); break;
                case 5: s = r.Bool(); break;
                case 6: p = r.Bool(); break;
                case 7: key = r.Str(); break;
                case 8:
                    var l = r.Int64() - 1;
                    limit = l is >= 0 and <= int.MaxValue ? (int)l : throw new SerializationException("channel limit out of range");
                    break;
                case 9: bans.Add(r.Str()); break;
                case 10: noCtcp = r.Bool(); break;
                case 11: excepts.Add(r.Str()); break;
                case 12: invex.Add(r.Str()); break;
                default: r.Skip(); break;
            }

        return new ChannelModes(i, m, !open, !unlocked, s, p, key, limit, bans.ToArray())
        {
            NoCtcp = noCtcp, Excepts = excepts.ToArray(), InviteExcepts = invex.ToArray(),
        };
    }

    private static MemberJoined ReadJoined(ProtoReader r)
    {
        var op = false;
        ChannelModes? modes = null;
        ChannelStamp? stamp = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: op = r.Bool(); break;
                case 2: modes = r.Msg(ReadModes); break;
                case 3: stamp = r.Msg(ReadStamp); break;
                default: r.Skip(); break;
            }

        return new MemberJoined(op, modes ?? ChannelModes.Default, stamp);
    }

    private static ChannelSnapshot ReadChannel(ProtoReader r)
    {
        string? key = null, name = null, topic = null, setter = null;
        long time = 0;
        ChannelModes? modes = null;
        ChannelStamp? stamp = null;
        var members = new List<ChannelMemberInfo>();
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: key = r.Str(); break;
                case 2: name = r.Str(); break;
                case 3: topic = r.Str(); break;
                case 4: setter = r.Str(); break;
                case 5: time = r.Int64(); break;
                case 6: members.Add(r.Msg(ReadMember)); break;
                case 7: modes = r.Msg(ReadModes); break;
                case 8: stamp = r.Msg(ReadStamp); break;
                default: r.Skip(); break;
            }

        return new ChannelSnapshot(Required(key, "channel key"), Required(name, "channel name"), topic, setter, time, members.ToArray(), modes, stamp);
    }

    private static ChannelMemberInfo ReadMember(ProtoReader r)
    {
        string? nick = null;
        bool op = false, voice = false;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: nick = r.Str(); break;
                case 2: op = r.Bool(); break;
                case 3: voice = r.Bool(); break;
                default: r.Skip(); break;
            }

        return new ChannelMemberInfo(Required(nick, "member nick"), op, voice);
    }

    // ---- channel events: the change is a oneof (fields 10-16)

    private static void Write(ProtoWriter w, ChannelEvent e, bool withOrigin)
    {
        if (withOrigin) w.Address(1, e.Origin); // in a batch, the batch's origin stands for all (no copy per event)
        w.Str(2, e.Key);
        w.Str(3, e.Name);
        w.Msg(4, e.Who, Write);
        w.Msg(5, e.Line, Write);
        switch (e.Change)
        {
            case MemberJoined j:
                w.Msg(10, j, (n, x) =>
                {
                    n.Bool(1, x.Op);
                    n.Msg(2, x.Modes, WriteModes);
                    n.Msg(3, x.Stamp, WriteStamp);
                });
                break;
            case MemberParted p: w.Msg(11, p, (_, _) => { }); break;
            case MemberQuit q: w.Msg(12, q, (_, _) => { }); break;
            case MemberKicked k: w.Msg(13, k, (n, x) => n.Str(1, x.Target)); break;
            case ChannelMessage m: w.Msg(14, m, (n, x) => n.UInt32(1, (uint)x.Kind)); break;
            case TopicChanged t: w.Msg(15, t, (n, x) => n.Str(1, x.Topic)); break;
            case ModesChanged m: w.Msg(16, m, (n, x) => n.Each(1, x.Changes, WriteMode)); break;
            default: throw new ArgumentException($"unknown channel change {e.Change.GetType()}", nameof(e));
        }
    }

    private static void WriteMode(ProtoWriter w, ModeChange c)
    {
        w.Bool(1, c.Add);
        w.UInt32(2, c.Mode);
        w.Str(3, c.Arg);
    }

    private static ModeChange ReadMode(ProtoReader r)
    {
        var add = false;
        uint mode = 0;
        string? arg = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: add = r.Bool(); break;
                case 2: mode = r.UInt32(); break;
                case 3: arg = r.Str(); break;
                default: r.Skip(); break;
            }

        return mode is > 0 and <= char.MaxValue ? new ModeChange(add, (char)mode, arg) : throw new SerializationException("mode change without a mode");
    }

    private static ChannelEvent ReadChannelEvent(ProtoReader r, Address? batchOrigin)
    {
        var origin = batchOrigin;
        string? key = null, name = null;
        RemoteUserInfo? who = null;
        WireLine? line = null;
        ChannelChange? change = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: origin = r.Address(); break;
                // in a batch the channel and the sender repeat event after event: decoded once (per reader), then shared
                case 2: key = r.StrShared(0); break;
                case 3: name = r.StrShared(1); break;
                case 4: who = r.MsgShared(2, ReadUser); break;
                case 5: line = r.Msg(ReadLine); break;
                case 10: change = r.Msg(ReadJoined); break;
                case 11: change = r.Msg(n => Empty(n, MemberParted.Instance)); break;
                case 12: change = r.Msg(n => Empty(n, MemberQuit.Instance)); break;
                case 13: change = r.Msg(n => new MemberKicked(Required(Field<string?>(n, 1, x => x.Str()), "kick target"))); break;
                case 14: change = r.Msg(n => Kind(Field(n, 1, x => x.UInt32())) == MessageKind.Privmsg ? PrivmsgChange : NoticeChange); break;
                case 15: change = r.Msg(n => new TopicChanged(Field<string?>(n, 1, x => x.Str()))); break;
                case 16: change = r.Msg(n => new ModesChanged(Repeated(n, 1, ReadMode))); break;
                default: r.Skip(); break;
            }

        return new ChannelEvent(origin, Required(key, "channel key"), Required(name, "channel name"), Required(who, "user"),
            Required(line, "line"), change ?? throw new SerializationException("channel event of an unknown kind (a newer node's?)"));
    }

    /// <summary>The change of every channel PRIVMSG / NOTICE (immutable: one instance each, not one per event).</summary>
    private static readonly ChannelMessage PrivmsgChange = new(MessageKind.Privmsg), NoticeChange = new(MessageKind.Notice);

    // ---- user events: the change is a oneof (fields 10-13)

    private static EventBatch ReadBatch(ProtoReader r)
    {
        Address? origin = null;
        var events = new List<IPeerEvent>();
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: origin = r.Address(); break;
                // the origin comes first (field 1, written first); the events take it as they are read
                case 2: events.Add(r.Msg(n => ReadChannelEvent(n, origin))); break;
                case 3: events.Add(r.Msg(n => ReadUserEvent(n, origin))); break;
                default: r.Skip(); break;
            }

        var from = Required(origin, "origin");
        foreach (var e in events)
            if (e is ChannelEvent { Origin: null }) throw new SerializationException("chat protocol batch with an event before its origin");
        return new EventBatch(from, events.ToArray());
    }

    private static void Write(ProtoWriter w, UserEvent e, bool withOrigin)
    {
        if (withOrigin) w.Address(1, e.Origin);
        w.Str(2, e.Nick);
        switch (e.Change)
        {
            case UserRegistered u: w.Msg(10, u.Info, Write); break;
            case UserUpdated u: w.Msg(11, u.Info, Write); break;
            case UserRenamed u:
                w.Msg(12, u, (n, x) =>
                {
                    n.Str(1, x.NewNick);
                    n.Msg(2, x.Line, Write);
                });
                break;
            case UserQuit u: w.Msg(13, u.Line, Write); break;
            default: throw new ArgumentException($"unknown user change {e.Change.GetType()}", nameof(e));
        }
    }

    private static UserEvent ReadUserEvent(ProtoReader r, Address? batchOrigin)
    {
        var origin = batchOrigin;
        string? nick = null;
        UserChange? change = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: origin = r.Address(); break;
                case 2: nick = r.Str(); break;
                case 10: change = new UserRegistered(r.Msg(ReadUser)); break;
                case 11: change = new UserUpdated(r.Msg(ReadUser)); break;
                case 12: change = r.Msg(ReadRenamed); break;
                case 13: change = new UserQuit(r.Msg(ReadLine)); break;
                default: r.Skip(); break;
            }

        return new UserEvent(Required(origin, "origin"), Required(nick, "nick"),
            change ?? throw new SerializationException("user event of an unknown kind (a newer node's?)"));
    }

    private static UserRenamed ReadRenamed(ProtoReader r)
    {
        string? newNick = null;
        WireLine? line = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: newNick = r.Str(); break;
                case 2: line = r.Msg(ReadLine); break;
                default: r.Skip(); break;
            }

        return new UserRenamed(Required(newNick, "new nick"), Required(line, "line"));
    }

    // ---- the rest: flat records

    private static PrivateLine ReadPrivateLine(ProtoReader r)
    {
        Address? origin = null;
        long id = 0;
        string? target = null;
        uint kind = 0;
        WireLine? line = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: origin = r.Address(); break;
                case 2: id = r.Int64(); break;
                case 3: target = r.Str(); break;
                case 4: kind = r.UInt32(); break;
                case 5: line = r.Msg(ReadLine); break;
                default: r.Skip(); break;
            }

        return new PrivateLine(Required(origin, "origin"), id, Required(target, "target"), Kind(kind), Required(line, "line"));
    }

    private static PrivateLineResult ReadLineResult(ProtoReader r)
    {
        long id = 0;
        var delivered = false;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: id = r.Int64(); break;
                case 2: delivered = r.Bool(); break;
                default: r.Skip(); break;
            }

        return new PrivateLineResult(id, delivered);
    }

    private static NodeSnapshot ReadSnapshot(ProtoReader r)
    {
        Address? origin = null;
        string? name = null;
        var users = new List<RemoteUserInfo>();
        var channels = new List<ChannelSnapshot>();
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: origin = r.Address(); break;
                case 2: name = r.Str(); break;
                case 3: users.Add(r.Msg(ReadUser)); break;
                case 4: channels.Add(r.Msg(ReadChannel)); break;
                default: r.Skip(); break;
            }

        return new NodeSnapshot(Required(origin, "origin"), Required(name, "node name"), users.ToArray(), channels.ToArray());
    }

    private static NodeSnapshotPart ReadSnapshotPart(ProtoReader r)
    {
        long id = 0;
        uint index = 0;
        var last = false;
        NodeSnapshot? content = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: id = r.Int64(); break;
                case 2: index = r.UInt32(); break;
                case 3: last = r.Bool(); break;
                case 4: content = r.Msg(ReadSnapshot); break;
                default: r.Skip(); break;
            }

        if (index > int.MaxValue) throw new SerializationException($"snapshot part index {index} out of range");
        return new NodeSnapshotPart(id, (int)index, last, Required(content, "snapshot part content"));
    }

    private static SnapshotRequest ReadSnapshotRequest(ProtoReader r) => new(Required(Field<Address?>(r, 1, x => x.Address()), "origin"));

    private static NickClaim ReadClaim(ProtoReader r)
    {
        long id = 0;
        string? nick = null, release = null, claimant = null;
        Address? node = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: id = r.Int64(); break;
                case 2: nick = r.Str(); break;
                case 3: release = r.Str(); break;
                case 4: node = r.Address(); break;
                case 5: claimant = r.Str(); break;
                default: r.Skip(); break;
            }

        return new NickClaim(id, Required(nick, "nick"), release, Required(node, "node"), Required(claimant, "claimant"));
    }

    private static NickClaimResult ReadClaimResult(ProtoReader r)
    {
        long id = 0;
        string? nick = null, claimant = null;
        var granted = false;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: id = r.Int64(); break;
                case 2: nick = r.Str(); break;
                case 3: claimant = r.Str(); break;
                case 4: granted = r.Bool(); break;
                default: r.Skip(); break;
            }

        return new NickClaimResult(id, Required(nick, "nick"), Required(claimant, "claimant"), granted);
    }

    private static NickRelease ReadRelease(ProtoReader r)
    {
        string? nick = null, claimant = null;
        Address? node = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: nick = r.Str(); break;
                case 2: node = r.Address(); break;
                case 3: claimant = r.Str(); break;
                default: r.Skip(); break;
            }

        return new NickRelease(Required(nick, "nick"), Required(node, "node"), Required(claimant, "claimant"));
    }

    private static NickReassert ReadReassert(ProtoReader r)
    {
        Address? node = null;
        var nicks = new List<NickHolder>();
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: node = r.Address(); break;
                case 2:
                    nicks.Add(r.Msg(n =>
                    {
                        string? nick = null, claimant = null;
                        for (var g = n.Next(); g != 0; g = n.Next())
                            switch (g)
                            {
                                case 1: nick = n.Str(); break;
                                case 2: claimant = n.Str(); break;
                                default: n.Skip(); break;
                            }

                        return new NickHolder(Required(nick, "nick"), Required(claimant, "claimant"));
                    }));
                    break;
                default: r.Skip(); break;
            }

        return new NickReassert(Required(node, "node"), nicks.ToArray());
    }

    private static NickOwnerQuery ReadOwnerQuery(ProtoReader r) => new(Required(Field<string?>(r, 1, x => x.Str()), "nick"));

    private static NickOwner ReadOwner(ProtoReader r)
    {
        string? nick = null;
        Address? node = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: nick = r.Str(); break;
                case 2: node = r.Address(); break;
                default: r.Skip(); break;
            }

        return new NickOwner(Required(nick, "nick"), node);
    }

    private static RemoteInvite ReadInvite(ProtoReader r)
    {
        Address? origin = null;
        string? target = null, key = null, name = null;
        WireLine? line = null;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: origin = r.Address(); break;
                case 2: target = r.Str(); break;
                case 3: key = r.Str(); break;
                case 4: name = r.Str(); break;
                case 5: line = r.Msg(ReadLine); break;
                default: r.Skip(); break;
            }

        return new RemoteInvite(Required(origin, "origin"), Required(target, "target"), Required(key, "channel key"), Required(name, "channel name"),
            Required(line, "line"));
    }

    private static RemoteKill ReadKill(ProtoReader r)
    {
        Address? origin = null;
        string? target = null, killer = null, reason = null;
        long id = 0;
        for (var f = r.Next(); f != 0; f = r.Next())
            switch (f)
            {
                case 1: origin = r.Address(); break;
                case 2: target = r.Str(); break;
                case 3: killer = r.Str(); break;
                case 4: reason = r.Str(); break;
                case 5: id = r.Int64(); break;
                default: r.Skip(); break;
            }

        return new RemoteKill(Required(origin, "origin"), id, Required(target, "target"), Required(killer, "killer"), reason ?? "");
    }

    // ---- helpers

    /// <summary>A message with one interesting field: its value (default when absent).</summary>
    private static T Field<T>(ProtoReader r, int field, Func<ProtoReader, T> read)
    {
        T value = default!;
        for (var f = r.Next(); f != 0; f = r.Next())
            if (f == field) value = read(r);
            else r.Skip();
        return value;
    }

    private static T Empty<T>(ProtoReader r, T value)
    {
        for (var f = r.Next(); f != 0; f = r.Next()) r.Skip();
        return value;
    }

    private static T[] Repeated<T>(ProtoReader r, int field, Func<ProtoReader, T> read)
    {
        var list = new List<T>();
        for (var f = r.Next(); f != 0; f = r.Next())
            if (f == field) list.Add(r.Msg(read));
            else r.Skip();
        return list.ToArray();
    }

    private static MessageKind Kind(uint value) =>
        Enum.IsDefined((MessageKind)value) ? (MessageKind)value : throw new SerializationException($"unknown message kind {value}");
}
