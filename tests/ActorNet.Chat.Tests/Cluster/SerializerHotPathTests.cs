using ActorNet.Chat.Cluster;
using ActorNet.Config;
using Akka.Actor;
using Xunit;
using ByteString = Akka.IO.ByteString;

namespace ActorNet.Chat.Tests.Cluster;

/// <summary>The cross-node fan-out path of the chat serializer: a batch's lines are slices of the received message
/// (not copies), and what repeats from event to event (channel, sender) is decoded once and shared — without ever
/// sharing a value that differs.</summary>
public sealed class SerializerHotPathTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serializer-hot-path", ConfigSource.Reference);

    public void Dispose() => _system.Dispose();

    private static readonly Address Origin = new("akka.tcp", "actornet", "127.0.0.1", 4053);

    private static ChannelEvent Message(string key, RemoteUserInfo who, string text) =>
        new(null, key, key.ToUpperInvariant(), who, new WireLine(ByteString.FromString(":" + who.Prefix + " PRIVMSG " + key + " :" + text), 1, "id-" + text),
            new ChannelMessage(MessageKind.Privmsg));

    [Fact]
    public void Repeated_senders_and_channels_are_decoded_once_and_different_ones_are_not_mixed_up()
    {
        var alice = new RemoteUserInfo("alice", "~a", "h", "Alice", null, false);
        var alice2 = alice with { Away = "gone" }; // same nick, different bytes: must not be taken for alice
        var bob = new RemoteUserInfo("bob", "~b", "h", "Bob", null, true);
        IPeerEvent[] events =
        [
            Message("#a", alice, "1"), Message("#a", alice, "2"), Message("#b", alice2, "3"), Message("#a", bob, "4"),
            Message("#a", alice, "5"),
        ];
        var s = new ChatProtocolSerializer((ExtendedActorSystem)_system);
        var bytes = s.ToBinary(new EventBatch(Origin, events));
        var back = (EventBatch)s.FromBinary(bytes, s.Manifest(new EventBatch(Origin, [])));

        var expected = events.Cast<ChannelEvent>().Select(e => e with { Origin = Origin }).ToArray();
        Assert.Equal(new EventBatch(Origin, expected), back);
        var got = back.Events.Cast<ChannelEvent>().ToArray();
        Assert.Same(got[0].Who, got[1].Who);
        Assert.Same(got[0].Key, got[1].Key);
        Assert.NotSame(got[1].Who, got[2].Who);
        Assert.Equal(alice2, got[2].Who);
        Assert.Equal(bob, got[3].Who);
        Assert.Equal(alice, got[4].Who); // the memo holds the last value only: alice again after bob is decoded again
    }

    [Fact]
    public void A_batch_line_is_a_slice_of_the_received_bytes()
    {
        var who = new RemoteUserInfo("alice", "~a", "h", "Alice", null, false);
        var s = new ChatProtocolSerializer((ExtendedActorSystem)_system);
        var bytes = s.ToBinary(new EventBatch(Origin, [Message("#a", who, "hello"), Message("#a", who, "again")]));
        var back = (EventBatch)s.FromBinary(bytes, "eb");
        var body = ((ChannelEvent)back.Events[0]).Line.Body;
        Assert.Equal(":alice!~a@h PRIVMSG #a :hello", body.ToString());
        // no copy: the body still sees the received array (changed here only to show it)
        var at = bytes.AsSpan().IndexOf("hello"u8);
        bytes[at] = (byte)'j';
        Assert.Equal(":alice!~a@h PRIVMSG #a :jello", body.ToString());
    }
}
