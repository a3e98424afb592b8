using System.Net;
using System.Text;
using ActorNet.Config;
using ActorNet.Handlers.BuiltIn;
using Xunit;
using static ActorNet.Core.Tests.Config.ConfigTestUtil;

namespace ActorNet.Core.Tests.Handlers;

/// <summary>The udp-relay's address cookie and token bucket (pure), and its config keys.</summary>
public sealed class UdpRelayProtocolTests
{
    private static readonly IPEndPoint Alice = new(IPAddress.Loopback, 40000);
    private static readonly IPEndPoint Mallory = new(IPAddress.Loopback, 40001);
    private const long T = 10 * UdpAddressProof.WindowMs + 5;

    [Fact]
    public void A_cookie_verifies_only_for_its_own_address_and_within_two_windows()
    {
        var proof = new UdpAddressProof();
        var challenge = proof.Challenge(Alice, T);
        Assert.Matches("^COOKIE [0-9a-f]{16}\n$", Encoding.ASCII.GetString(challenge));
        Assert.True(proof.Verifies(challenge, Alice, T));
        Assert.True(proof.Verifies(challenge.AsSpan(0, challenge.Length - 1), Alice, T)); // without the newline
        Assert.True(proof.Verifies(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(challenge).ToUpperInvariant().Replace("\n", "\r\n")), Alice, T));
        Assert.True(proof.Verifies(challenge, Alice, T + UdpAddressProof.WindowMs)); // the next window still takes it
        Assert.False(proof.Verifies(challenge, Alice, T + 2 * UdpAddressProof.WindowMs)); // then it expires
        Assert.False(proof.Verifies(challenge, Mallory, T)); // another port
        Assert.False(proof.Verifies(challenge, new IPEndPoint(IPAddress.Parse("127.0.0.2"), 40000), T));
        Assert.False(new UdpAddressProof().Verifies(challenge, Alice, T)); // another node's secret
        Assert.False(proof.Verifies("COOKIE 0000000000000000"u8, Alice, T));
        Assert.False(proof.Verifies("hello"u8, Alice, T));
        Assert.False(proof.Verifies([], Alice, T));
    }

    [Fact]
    public void Token_bucket_allows_a_burst_of_one_second_then_the_rate()
    {
        var bucket = new TokenBucket(5, 0);
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => bucket.TryTake(1, 0)));
        Assert.False(bucket.TryTake(1, 100));
        Assert.True(bucket.TryTake(1, 200)); // 200 ms = 1 token
        Assert.False(bucket.TryTake(1, 200));
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => bucket.TryTake(1, 60_000))); // never more than the burst
        var bytes = new TokenBucket(3000, 0);
        Assert.True(bytes.TryTake(1000, 0));
        Assert.True(bytes.TryTake(2000, 0));
        Assert.False(bytes.TryTake(1, 0));
    }

    [Fact]
    public void Relay_limits_come_from_config_with_defaults()
    {
        var udp = """transport = udp, bind = "127.0.0.1:0", handler = udp-relay""";
        Assert.Equal(UdpRelayLimits.Default, LoadOk(Listener(udp)).Listeners[0].UdpRelay);
        var limits = LoadOk(Listener(udp + ", require-hello = off, relay-rate-packets = 7, relay-rate-bytes = 1MiB, hello-rate = 9")).Listeners[0].UdpRelay;
        Assert.Equal(new UdpRelayLimits(false, 7, 1024 * 1024, 9), limits);
    }

    [Theory]
    [InlineData("relay-rate-packets = 0", "relay-rate-packets", ">= 1")]
    [InlineData("relay-rate-bytes = 100", "relay-rate-bytes", "max-frame-bytes")]
    [InlineData("hello-rate = -1", "hello-rate", ">= 1")]
    [InlineData("require-hello = maybe", "require-hello", "")]
    public void Bad_relay_limits_fail_with_the_key(string setting, string key, string reason) =>
        LoadError(Listener("""transport = udp, bind = "127.0.0.1:0", handler = udp-relay, """ + setting),
            "actornet.listeners.l." + key, reason);
}
