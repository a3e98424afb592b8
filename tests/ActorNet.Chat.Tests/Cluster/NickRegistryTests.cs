using ActorNet.Chat.Cluster;
using ActorNet.Chat.Protocol;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorNet.Chat.Tests.Cluster;

/// <summary>A new registry instance (as after a singleton hand-over) decides no claim before the members it asked
/// have re-asserted their nicks, or its re-assert timeout has passed.</summary>
public sealed class NickRegistryTests : TestKit
{
    private const string Hocon = """
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.loglevel = WARNING
        """;

    /// <summary>Stands for a member's chat/users: hands the registry's request to the test.</summary>
    private sealed class UsersStandIn : ReceiveActor
    {
        public UsersStandIn(IActorRef test) => ReceiveAny(m => test.Forward(m));
    }

    public NickRegistryTests() : base(Hocon)
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.State.Members.Any(m => m.Status == Akka.Cluster.MemberStatus.Up), TimeSpan.FromSeconds(20));
        Sys.ActorOf(Props.Create(() => new UsersStandIn(TestActor)), "users");
    }

    private Address Self => Akka.Cluster.Cluster.Get(Sys).SelfAddress;

    private IActorRef StartRegistry(TimeSpan timeout)
    {
        var registry = Sys.ActorOf(NickRegistry.Props(CaseMapping.Rfc1459, "/user/users", timeout));
        ExpectMsg<NickReassertRequest>(TimeSpan.FromSeconds(10));
        return registry;
    }

    [Fact]
    public void A_claim_for_a_held_nick_waits_for_the_re_assert_and_is_refused()
    {
        var registry = StartRegistry(TimeSpan.FromSeconds(30));
        var other = new Address("akka.tcp", "actornet", "127.0.0.1", 1);
        registry.Tell(new NickClaim(1, "BOB", null, other, "/user/x/c-2/handler"));
        registry.Tell(new NickClaim(2, "dave", null, other, "/user/x/c-3/handler"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(500)); // nothing is decided before the members re-asserted

        registry.Tell(new NickReassert(Self, [new NickHolder("bob", "/user/y/c-1/handler")]));
        var bob = ExpectMsg<NickClaimResult>();
        Assert.Equal((1L, false), (bob.Id, bob.Granted));
        var dave = ExpectMsg<NickClaimResult>();
        Assert.Equal((2L, true), (dave.Id, dave.Granted));
        registry.Tell(new NickOwnerQuery("Bob"));
        Assert.Equal(Self, ExpectMsg<NickOwner>().Node);
    }

    [Fact]
    public void Without_re_asserts_claims_are_decided_after_the_timeout()
    {
        var registry = StartRegistry(TimeSpan.FromSeconds(1));
        registry.Tell(new NickClaim(7, "erin", null, Self, "/user/x/c-9/handler"));
        var result = ExpectMsg<NickClaimResult>(TimeSpan.FromSeconds(10));
        Assert.True(result.Granted);
    }
}
