using ActorNet.Chat.Core;
using ActorNet.Chat.Server;
using ActorNet.Chat.Settings;
using ActorNet.Transport;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;

namespace ActorNet.Chat.Tests.Actors;

/// <summary>One channel actor driven by probe sessions, its answers read as wire lines: what the channel
/// conformance and list-mode tests share.</summary>
public abstract class ChannelWireTestKit : TestKit
{
    private protected ManualTime Time { get; } = new();

    protected sealed record Peer(TestProbe Session, TestProbe Connection, MemberRef Ref);

    protected Peer NewPeer(string nick, params string[] caps)
    {
        var state = SessionState.Connected("h") with
        {
            Nick = nick, User = "~" + nick, Registered = true,
            Caps = System.Collections.Immutable.ImmutableHashSet.Create(StringComparer.Ordinal, caps),
        };
        var session = CreateTestProbe();
        var connection = CreateTestProbe();
        return new Peer(session, connection, new MemberRef(session.Ref, connection.Ref, state));
    }

    protected IActorRef NewChannel(ChatSettings? settings = null) =>
        ChildActorOf(ChannelActor.Props("#Room", settings ?? ChatSettings.Default with { ServerName = "irc.test" }, Time));

    protected static void Ask(IActorRef channel, Peer p, ChatRequest request) =>
        channel.Tell(new ToChannel(new FromSession(p.Session.Ref, p.Connection.Ref, request), p.Ref));

    protected static string Text(Connection.Send s) => System.Text.Encoding.UTF8.GetString(s.Payload.ToArray());

    protected static List<string> Lines(Peer p) =>
        p.Connection.ReceiveWhile(TimeSpan.FromMilliseconds(150), m => m is Connection.Send s ? Text(s) : null).OfType<string>().ToList();
}
