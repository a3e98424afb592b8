using ActorNet.Security;
using Xunit;

namespace ActorNet.Core.Tests.Security;

public class FailureThrottleTests
{
    [Fact]
    public void A_client_is_refused_after_its_failures_and_let_in_again_as_the_window_refills()
    {
        var time = new ManualClock();
        var throttle = new FailureThrottle(new ThrottleSettings(3, TimeSpan.FromSeconds(60), 100), time);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(throttle.MayTry("10.0.0.1", out _));
            throttle.Failed("10.0.0.1");
        }

        Assert.False(throttle.MayTry("10.0.0.1", out var retry));
        Assert.Equal(TimeSpan.FromSeconds(20), retry);
        Assert.True(throttle.MayTry("10.0.0.2", out _)); // another client is not affected
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(throttle.MayTry("10.0.0.1", out _));
        throttle.Failed("10.0.0.1");
        Assert.False(throttle.MayTry("10.0.0.1", out _));
    }

    [Fact]
    public void The_table_stays_bounded_and_a_flood_of_addresses_shares_one_bucket()
    {
        var time = new ManualClock();
        var throttle = new FailureThrottle(new ThrottleSettings(2, TimeSpan.FromSeconds(60), 10), time);
        for (var i = 0; i < 1000; i++)
        {
            throttle.Failed($"10.0.{i / 256}.{i % 256}");
            throttle.Failed($"10.0.{i / 256}.{i % 256}");
        }

        Assert.InRange(throttle.Tracked, 1, 11);
        Assert.False(throttle.MayTry("10.9.9.9", out _)); // an unseen address lands in the exhausted overflow bucket
    }

    [Fact]
    public void Tokens_compare_equal_only_when_equal()
    {
        Assert.True(Secrets.EqualsConstantTime("abcdefghijklmnop", "abcdefghijklmnop"));
        Assert.False(Secrets.EqualsConstantTime("abcdefghijklmnoq", "abcdefghijklmnop"));
        Assert.False(Secrets.EqualsConstantTime("abc", "abcdefghijklmnop"));
        Assert.False(Secrets.EqualsConstantTime("", ""));
        Assert.False(Secrets.EqualsConstantTime(null, "x"));
        Assert.NotEqual(Secrets.NewToken(), Secrets.NewToken());
        Assert.Equal(43, Secrets.NewToken().Length);
    }

    [Fact]
    public void Password_hashes_verify_and_malformed_ones_never_match()
    {
        var hash = PasswordHash.Create("s3cret", PasswordHash.MinIterations);
        Assert.True(PasswordHash.Verify("s3cret", hash));
        Assert.False(PasswordHash.Verify("s3cres", hash));
        Assert.False(PasswordHash.Verify("s3cret", "s3cret"));
        Assert.False(PasswordHash.Verify("s3cret", "pbkdf2-sha256$99999999999$AA==$AA=="));
        Assert.Null(PasswordHash.Parse("pbkdf2-sha256$20000000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==", out var error));
        Assert.Contains("iterations", error);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
