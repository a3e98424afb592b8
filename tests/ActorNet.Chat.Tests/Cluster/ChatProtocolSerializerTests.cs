using System.Collections;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using ActorNet.Chat.Cluster;
using ActorNet.Chat.Server;
using ActorNet.Config;
using Akka.Actor;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using ByteString = Akka.IO.ByteString;

namespace ActorNet.Chat.Tests.Cluster;

/// <summary>The chat protocol's serializer: every message type round-trips (FsCheck), every cross-node type is bound
/// to it in the reference config, unknown manifests and garbage are refused with SerializationException.</summary>
[Properties(Replay = "(20261203,4243)")]
public sealed class ChatProtocolSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serializer-test", ConfigSource.Reference);

    public void Dispose() => _system.Dispose();

    private ChatProtocolSerializer Serializer => (ChatProtocolSerializer)_system.Serialization.FindSerializerForType(typeof(ChannelEvent));

    // ---- generators (strings are valid UTF-16, as everything decoded from a client's UTF-8 line is)

    private static readonly string[] Pieces = ["a", "Z", "0", " ", ":", "#", "@", "!", "~", "é", "世", "🙂", "\\", ";", ""];

    private static readonly Gen<string> Text = Gen.Elements(Pieces).ArrayOf().Select(p => string.Concat(p));

    private static readonly Gen<string?> OptText = Gen.Frequency((1, Gen.Constant<string?>(null)), (3, Text.Select(s => (string?)s)));

    private static readonly Gen<bool> Bool = Gen.Elements(true, false);

    private static readonly Gen<long> Long = Gen.Choose(int.MinValue, int.MaxValue).Select(i => (long)i * 3);

    private static readonly Gen<Address> Node = Gen.Choose(1, 65535).Select(p => new Address("akka.tcp", "actornet", "127.0.0.1", p));

    private static readonly Gen<Address?> OptNode = Gen.Frequency((1, Gen.Constant<Address?>(null)), (3, Node.Select(a => (Address?)a)));

    private static readonly Gen<WireLine> Line =
        from body in Gen.Elements(Pieces).ArrayOf().Select(p => ByteString.FromString(string.Concat(p), Encoding.UTF8))
        from time in Long
        from msgId in OptText
        select new WireLine(body, time, msgId);

    private static readonly Gen<RemoteUserInfo> User =
        from nick in Text
        from user in OptText
        from host in Text
        from real in OptText
        from away in OptText
        from oper in Bool
        from invisible in Bool
        select new RemoteUserInfo(nick, user, host, real, away, oper, invisible);

    private static readonly Gen<MessageKind> Kind = Gen.Elements(MessageKind.Privmsg, MessageKind.Notice);

    private static readonly Gen<ModeChange> Mode =
        from add in Bool
        from mode in Gen.Elements('o', 'v', 'b', 'e', 'I', 'k', 'l', 'i', 'm', 'n', 't', 's', 'p', 'C')
        from arg in OptText
        select new ModeChange(add, mode, arg);

    private static readonly Gen<ChannelModes> Modes =
        from flags in Bool.ArrayOf(7)
        from key in OptText
        from limit in Gen.Frequency((1, Gen.Constant<int?>(null)), (2, Gen.Choose(0, int.MaxValue).Select(l => (int?)l)))
        from bans in Text.ArrayOf()
        from excepts in Text.ArrayOf()
        from invex in Text.ArrayOf()
        select new ChannelModes(flags[0], flags[1], flags[2], flags[3], flags[4], flags[5], key, limit, bans)
        {
            NoCtcp = flags[6], Excepts = excepts, InviteExcepts = invex,
        };

    private static readonly Gen<ChannelStamp?> Stamp =
        Gen.Frequency((1, Gen.Constant<ChannelStamp?>(null)), (3, Long.SelectMany(t => Node.Select(n => (ChannelStamp?)new ChannelStamp(t, n)))));

    private static readonly Gen<ChannelChange> Change = Gen.OneOf(
        from op in Bool from m in Modes from s in Stamp select (ChannelChange)new MemberJoined(op, m, s),
        Gen.Constant<ChannelChange>(MemberParted.Instance),
        Gen.Constant<ChannelChange>(MemberQuit.Instance),
        Text.Select(t => (ChannelChange)new MemberKicked(t)),
        Kind.Select(k => (ChannelChange)new ChannelMessage(k)),
        OptText.Select(t => (ChannelChange)new TopicChanged(t)),
        Mode.ArrayOf().Select(m => (ChannelChange)new ModesChanged(m)));

    private static readonly Gen<UserChange> UserChangeGen = Gen.OneOf(
        User.Select(u => (UserChange)new UserRegistered(u)),
        User.Select(u => (UserChange)new UserUpdated(u)),
        Text.SelectMany(n => Line.Select(l => (UserChange)new UserRenamed(n, l))),
        Line.Select(l => (UserChange)new UserQuit(l)));

    private static readonly Gen<ChannelSnapshot> Channel =
        from key in Text
        from name in Text
        from topic in OptText
        from setter in OptText
        from time in Long
        from members in (from n in Text from o in Bool from v in Bool select new ChannelMemberInfo(n, o, v)).ArrayOf()
        from modes in Gen.Frequency((1, Gen.Constant<ChannelModes?>(null)), (3, Modes.Select(m => (ChannelModes?)m)))
        from stamp in Stamp
        select new ChannelSnapshot(key, name, topic, setter, time, members, modes, stamp);

    /// <summary>A node's snapshot; its channel keys are unique, as a node's channels are.</summary>
    internal static readonly Gen<NodeSnapshot> Snapshot =
        from o in Node from n in Text from u in User.ArrayOf() from c in Channel.ArrayOf()
        select new NodeSnapshot(o, n, u, c.DistinctBy(x => x.Key).ToArray());

    /// <summary>One generator per message type of the serializer (a test checks none is missing).</summary>
    internal static readonly Dictionary<Type, Gen<object>> Samples = new()
    {
        [typeof(ChannelEvent)] = from o in OptNode from k in Text from n in Text from w in User from l in Line from c in Change
            select (object)new ChannelEvent(o, k, n, w, l, c),
        [typeof(UserEvent)] = from o in Node from n in Text from c in UserChangeGen select (object)new UserEvent(o, n, c),
        [typeof(EventBatch)] = from o in Node
            from events in Gen.OneOf(
                from k in Text from n in Text from w in User from l in Line from c in Change select (IPeerEvent)new ChannelEvent(o, k, n, w, l, c),
                from n in Text from c in UserChangeGen select (IPeerEvent)new UserEvent(o, n, c)).ArrayOf()
            select (object)new EventBatch(o, events),
        [typeof(PrivateLine)] = from o in Node from i in Long from t in Text from k in Kind from l in Line select (object)new PrivateLine(o, i, t, k, l),
        [typeof(PrivateLineResult)] = from i in Long from d in Bool select (object)new PrivateLineResult(i, d),
        [typeof(NodeSnapshot)] = Snapshot.Select(s => (object)s),
        [typeof(NodeSnapshotPart)] = from i in Long from x in Gen.Choose(0, 100_000) from l in Bool from s in Snapshot select (object)new NodeSnapshotPart(i, x, l, s),
        [typeof(SnapshotRequest)] = Node.Select(n => (object)new SnapshotRequest(n)),
        [typeof(NickClaim)] = from i in Long from n in Text from r in OptText from o in Node from c in Text select (object)new NickClaim(i, n, r, o, c),
        [typeof(NickClaimResult)] = from i in Long from n in Text from c in Text from g in Bool select (object)new NickClaimResult(i, n, c, g),
        [typeof(NickRelease)] = from n in Text from o in Node from c in Text select (object)new NickRelease(n, o, c),
        [typeof(NickReassert)] = from o in Node from h in Gen.Zip(Text, Text).Select(t => new NickHolder(t.Item1, t.Item2)).ArrayOf()
            select (object)new NickReassert(o, h),
        [typeof(NickReassertRequest)] = Gen.Constant<object>(NickReassertRequest.Instance),
        [typeof(NickOwnerQuery)] = Text.Select(n => (object)new NickOwnerQuery(n)),
        [typeof(NickOwner)] = from n in Text from o in OptNode select (object)new NickOwner(n, o),
        [typeof(RemoteInvite)] = from o in Node from t in Text from k in Text from n in Text from l in Line select (object)new RemoteInvite(o, t, k, n, l),
        [typeof(RemoteKill)] = from o in Node from i in Long from t in Text from k in Text from r in Text select (object)new RemoteKill(o, i, t, k, r),
    };

    private static readonly Gen<object> AnyMessage = Gen.OneOf(Samples.Values);

    [Property(MaxTest = 1000)]
    public Property Every_message_type_round_trips() =>
        Prop.ForAll(AnyMessage.ToArbitrary(), message =>
        {
            var bytes = Serializer.ToBinary(message);
            var back = Serializer.FromBinary(bytes, Serializer.Manifest(message));
            return (back.GetType() == message.GetType() && Dump(back) == Dump(message)).Label(Dump(message));
        });

    [Fact]
    public void There_is_a_generator_for_every_message_type_of_the_serializer() =>
        Assert.Equal(ChatProtocolSerializer.Types.OrderBy(t => t.Name), Samples.Keys.OrderBy(t => t.Name));

    /// <summary>Fails when a type that crosses nodes (an <see cref="IChatClusterMessage"/>, or a new public record in
    /// the protocol's namespace that is not a known part of one) has no binding to the chat serializer.</summary>
    [Fact]
    public void Every_cross_node_type_is_bound_to_the_chat_serializer_in_the_reference_config()
    {
        var assembly = typeof(IChatClusterMessage).Assembly;
        var messages = assembly.GetTypes().Where(t => typeof(IChatClusterMessage).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract).ToList();
        Assert.NotEmpty(messages);
        foreach (var type in messages)
        {
            Assert.Contains(type, ChatProtocolSerializer.Types);
            Assert.IsType<ChatProtocolSerializer>(_system.Serialization.FindSerializerForType(type));
        }

        Type[] parts = [typeof(WireLine), typeof(RemoteUserInfo), typeof(ChannelModes), typeof(ChannelMemberInfo), typeof(ChannelSnapshot), typeof(ChannelStamp), typeof(NickHolder),
            typeof(ChannelChange), typeof(UserChange), typeof(MessageKind), typeof(IChatClusterMessage)];
        var unbound = assembly.GetTypes()
            .Where(t => t.IsPublic && t.Namespace == typeof(IChatClusterMessage).Namespace && !typeof(ActorBase).IsAssignableFrom(t)
                        && !typeof(Akka.Serialization.Serializer).IsAssignableFrom(t)
                        && !messages.Contains(t) && !parts.Any(p => p.IsAssignableFrom(t)))
            .Select(t => t.FullName).ToList();
        Assert.Empty(unbound);
    }

    [Fact]
    public void An_unknown_manifest_is_refused_with_SerializationException()
    {
        var ex = Assert.Throws<SerializationException>(() => Serializer.FromBinary([], "zz"));
        Assert.Contains("zz", ex.Message);
        Assert.Throws<ArgumentException>(() => Serializer.Manifest("not a protocol message"));
    }

    [Fact]
    public void A_channel_event_of_a_kind_this_version_does_not_know_is_refused()
    {
        var known = new ChannelEvent(null, "#a", "#A", new RemoteUserInfo("n", null, "h", null, null, false),
            new WireLine(ByteString.FromString("x"), 0, null), MemberParted.Instance);
        var bytes = Serializer.ToBinary(known);
        // the same event with the change in a field number a newer version might use (field 31, empty message)
        var withoutChange = bytes.AsSpan(0, bytes.Length - 2).ToArray(); // "11 -> 0x5a 0x00" is the last two bytes
        Assert.Equal(new byte[] { 0x5a, 0x00 }, bytes[^2..]);
        byte[] newer = [.. withoutChange, 0xfa, 0x01, 0x00];
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(newer, "ce"));
    }

    [Property(MaxTest = 500)]
    public Property Garbage_is_refused_with_SerializationException_only() =>
        Prop.ForAll(Gen.Elements(ChatProtocolSerializer.Types.Select(t => Serializer.Manifest(FirstSample(t))).ToArray()).ToArbitrary(),
            ArbMap.Default.ArbFor<byte[]>(), (manifest, bytes) =>
            {
                try
                {
                    Serializer.FromBinary(bytes ?? [], manifest);
                }
                catch (SerializationException)
                {
                }
            });

    private static readonly Gen<IPeerEvent> PeerEvent = Gen.OneOf(
        from o in OptNode from k in Text from n in Text from w in User from l in Line from c in Change select (IPeerEvent)new ChannelEvent(o, k, n, w, l, c),
        from o in Node from n in Text from c in UserChangeGen select (IPeerEvent)new UserEvent(o, n, c));

    /// <summary>cluster-link sizes its batches by these bounds: one that is too low lets a batch past Akka.Remote's
    /// frame limit, which drops it whole.</summary>
    [Property(MaxTest = 1000)]
    public Property A_peer_event_never_serializes_larger_than_its_bound() =>
        Prop.ForAll(PeerEvent.ToArbitrary(), e =>
        {
            var alone = Serializer.ToBinary(e).Length;
            var batch = new EventBatch(new Address("akka.tcp", "actornet", "127.0.0.1", 4053), [e, e]);
            var inBatch = Serializer.ToBinary(batch).Length;
            var batchBound = WireSize.Of(batch.Origin) + 2 * e.MaxWireBytes;
            return (alone <= e.MaxWireBytes && inBatch <= batchBound).Label($"alone {alone} / {e.MaxWireBytes}, batch {inBatch} / {batchBound}: {Dump(e)}");
        });

    /// <summary>cluster-link splits a snapshot into parts by this bound, to stay below the remote frame: it must hold.</summary>
    [Property(MaxTest = 300)]
    public Property A_node_snapshot_never_serializes_larger_than_its_bound() =>
        Prop.ForAll(Samples[typeof(NodeSnapshot)].ToArbitrary(), o =>
        {
            var s = (NodeSnapshot)o;
            var size = Serializer.ToBinary(s).Length;
            return (size <= WireSize.Of(s)).Label($"{size} / {WireSize.Of(s)}");
        });

    [Fact]
    public void A_full_batch_of_long_joins_and_messages_stays_below_the_remote_frame_limit()
    {
        // what the old estimate left out: the sender's long real name and away message, a JOIN's ban lists
        var node = new Address("akka.tcp", "actornet", "127.0.0.1", 4053);
        var who = new RemoteUserInfo("alice", "~alice", "host.example", new string('r', 390), new string('\u4e16', 390), false);
        var modes = ChannelModes.Default with { Bans = Enumerable.Range(0, 60).Select(i => $"*!*@banned-{i}.example").ToArray() };
        var line = new WireLine(ByteString.FromString("PRIVMSG #room :" + new string('x', 400), Encoding.UTF8), 1, "id");
        var events = new List<IPeerEvent>();
        var bytes = 0;
        for (var i = 0; events.Count < ClusterLinkActor.MaxBatchEvents && bytes < ClusterLinkActor.MaxBatchBytes; i++)
        {
            // the flush rule of ClusterLinkActor.Send: add, then send at either limit
            IPeerEvent e = i % 2 == 0
                ? new ChannelEvent(node, "#room", "#room", who, line, new MemberJoined(false, modes, new ChannelStamp(1, node)))
                : new ChannelEvent(node, "#room", "#room", who, line, new ChannelMessage(MessageKind.Privmsg));
            events.Add(e);
            bytes += e.MaxWireBytes;
        }

        var size = Serializer.ToBinary(new EventBatch(node, events.ToArray())).Length;
        Assert.InRange(size, ClusterLinkActor.MaxBatchBytes / 4, 128_000);
    }

    [Fact]
    public void A_channel_message_costs_little_more_than_its_line()
    {
        var line = new Outgoing(ActorNet.Chat.Protocol.IrcMessage.FromSource("alice!~alice@127.0.0.1", "PRIVMSG", "#room", "hello there, everyone"),
            DateTimeOffset.UtcNow, assignMsgId: true);
        var e = new ChannelEvent(new Address("akka.tcp", "actornet", "127.0.0.1", 4053), "#room", "#room",
            new RemoteUserInfo("alice", "~alice", "127.0.0.1", "Alice", null, false), WireLine.From(line), new ChannelMessage(MessageKind.Privmsg));
        var size = Serializer.ToBinary(e).Length;
        Assert.InRange(size, line.Plain.Count, line.Plain.Count + 150);
    }

    private static object FirstSample(Type t) => Samples[t].Sample(1, 1)[0];

    /// <summary>A canonical rendering of a record tree (arrays by content, bytes as text): equal dumps, equal values.</summary>
    internal static string Dump(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        ByteString b => "b\"" + b.ToString(Encoding.UTF8) + "\"",
        Address or Enum or bool or long or int or char => value.ToString()!,
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Dump)) + "]",
        _ => value.GetType().Name + "{" + string.Join(",", value.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract" && p.GetIndexParameters().Length == 0)
            .Select(p => p.Name + "=" + Dump(p.GetValue(value)))) + "}",
    };
}
