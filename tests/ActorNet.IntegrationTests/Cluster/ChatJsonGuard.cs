using Akka.Actor;
using Akka.Event;
using Akka.Serialization;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>
/// Akka's default (JSON) serializer, except that it refuses every ActorNet type: installed as <c>json</c> on the
/// in-process chat cluster's nodes (<see cref="ChatClusterKit"/>), it proves that everything the chat service sends
/// across nodes goes through its own binding (ChatProtocolSerializer). A chat record without one would fail here,
/// be dropped by Akka.Remote and fail the test that needed it. Akka's own cluster messages have their own serializers
/// and never reach it; what does (e.g. a cluster singleton's identify) is serialized as usual.
/// </summary>
public sealed class ChatJsonGuard : NewtonSoftJsonSerializer
{
    private readonly ExtendedActorSystem _system;

    public ChatJsonGuard(ExtendedActorSystem system) : base(system) => _system = system;

    // Akka builds the json serializer with its serialization-settings block
    public ChatJsonGuard(ExtendedActorSystem system, Akka.Configuration.Config config) : base(system, config) => _system = system;

    public const string Hocon = """
        akka.actor.serializers.json = "ActorNet.IntegrationTests.Cluster.ChatJsonGuard, ActorNet.IntegrationTests"
        """;

    /// <summary>The json serializer's own id: what it writes is still read as JSON.</summary>
    public override int Identifier => 1;

    public override byte[] ToBinary(object obj)
    {
        if (obj.GetType().Namespace?.StartsWith("ActorNet", StringComparison.Ordinal) == true)
        {
            _system.Log.Error("ChatJsonGuard: {0} would cross nodes as JSON (no serialization binding)", obj.GetType());
            throw new InvalidOperationException($"{obj.GetType()} would cross nodes as JSON: it has no serialization binding");
        }

        return base.ToBinary(obj);
    }
}
