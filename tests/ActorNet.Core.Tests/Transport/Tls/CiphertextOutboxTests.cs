using ActorNet.Transport.Tls;
using Xunit;

namespace ActorNet.Core.Tests.Transport.Tls;

/// <summary>The outbox SslStream writes its ciphertext into: the owner's inline writes wake nobody and never wait,
/// SslStream's own writes wake the owner and wait past the bound until taken, the end is seen by takers and writers.</summary>
public sealed class CiphertextOutboxTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void Inline_writes_do_not_wake_the_owner_and_are_taken_whole_in_order()
    {
        var outbox = new CiphertextOutbox(32 * 1024);
        var ready = outbox.WhenReadyAsync();
        using (outbox.BeginInline())
        {
            Assert.True(outbox.WriteAsync(new byte[] { 1, 2, 3 }).IsCompletedSuccessfully);
            Assert.True(outbox.WriteAsync(new byte[100_000]).IsCompletedSuccessfully); // past the bound: inline never waits
        }

        Assert.False(ready.IsCompleted);
        Assert.Equal(100_003, outbox.PendingBytes);
        var taken = outbox.TakeAll(out var length, out var ended);
        Assert.NotNull(taken);
        Assert.Equal(100_003, length);
        Assert.False(ended);
        Assert.Equal(new byte[] { 1, 2, 3, 0 }, taken.AsSpan(0, 4).ToArray());
        Assert.Equal(0, outbox.PendingBytes);
        Assert.Null(outbox.TakeAll(out _, out _));
        CiphertextOutbox.Return(taken);
    }

    [Fact]
    public async Task SslStream_writes_wake_the_owner_and_wait_past_the_bound_until_taken()
    {
        var outbox = new CiphertextOutbox(16 * 1024);
        var ready = outbox.WhenReadyAsync();
        Assert.True(outbox.WriteAsync(new byte[1000]).IsCompletedSuccessfully); // below the bound: no wait
        await ready.WaitAsync(Bound);

        var over = outbox.WriteAsync(new byte[20_000]);
        Assert.False(over.IsCompleted); // 21,000 untaken > 16 KiB: the writer waits
        Assert.True(outbox.WhenReadyAsync().IsCompleted); // and the owner is (still) told there is something
        var taken = outbox.TakeAll(out var length, out _);
        Assert.Equal(21_000, length);
        await over.AsTask().WaitAsync(Bound);
        Assert.False(outbox.WhenReadyAsync().IsCompleted); // seen and taken: the next wait waits
        CiphertextOutbox.Return(taken!);
    }

    [Fact]
    public async Task Complete_ends_takes_once_empty_fails_writers_and_releases_waiters()
    {
        var outbox = new CiphertextOutbox(16 * 1024);
        Assert.True(outbox.WriteAsync(new byte[10]).IsCompletedSuccessfully);
        var waiting = outbox.WriteAsync(new byte[20_000]);
        outbox.Complete();
        await waiting.AsTask().WaitAsync(Bound);
        await outbox.WhenReadyAsync().WaitAsync(Bound);
        Assert.Throws<IOException>(() => outbox.WriteAsync(new byte[1]));

        Assert.NotNull(outbox.TakeAll(out var length, out var ended)); // what was written still leaves
        Assert.Equal(20_010, length);
        Assert.False(ended);
        Assert.Null(outbox.TakeAll(out _, out ended));
        Assert.True(ended);
    }

    [Fact]
    public void TakeCopy_hands_out_at_most_the_asked_bytes_and_keeps_the_rest_in_order()
    {
        var outbox = new CiphertextOutbox(16 * 1024);
        var bytes = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        _ = outbox.WriteAsync(bytes);
        Assert.Equal(bytes[..100], outbox.TakeCopy(100, out var ended));
        Assert.False(ended);
        Assert.Equal(bytes[100..], outbox.TakeCopy(1000, out _));
        Assert.Empty(outbox.TakeCopy(1000, out _));
        Assert.False(outbox.WhenReadyAsync().IsCompleted);
    }
}
