using Xunit;
using ActorNet.Config;
using ActorNet.Framing;
using Akka.IO;
using FsCheck.Xunit;
using static ActorNet.Core.Tests.Framing.FramingTestUtil;

namespace ActorNet.Core.Tests.Framing;

/// <summary>Random interleavings of enqueues and acks. Fixed seed for reproducible runs.</summary>
[Properties(MaxTest = 300, Replay = "20261124,1503")]
public class OutboundQueuePropertyTests
{
    /// <summary>
    /// ops: each byte is one step. Even = enqueue a payload (from payloads, round robin), odd = ack if a write is in
    /// flight. At the end everything is acked. The concatenation of all writes must equal the framed payloads in
    /// order, each write must be unchanged until its ack, and no more than the limit may ever be pending.
    /// </summary>
    [Property]
    public void Bytes_out_equal_framed_bytes_in_order(byte[][] payloads, byte[] ops, byte limitSeed, byte kindSeed)
    {
        var kind = (FramingKind)(kindSeed % 3);
        var encoder = FrameCodecs.GetEncoder(kind, kindSeed % 2 == 0 ? LineEnding.Lf : LineEnding.CrLf);
        long limit = 16 + limitSeed * 4;
        var inputs = payloads.Where(p => p is not null).ToArray();
        if (inputs.Length == 0)
            inputs = [[]];

        using var q = new OutboundQueue(encoder, limit);
        var wire = new Wire(q);
        var expected = new List<byte>();
        int next = 0;

        foreach (var op in ops)
        {
            if (op % 2 == 0)
            {
                var payload = inputs[next++ % inputs.Length];
                long pendingBefore = q.PendingBytes;
                var result = q.Enqueue(payload, out var write);
                var framed = Encode(encoder, payload);
                switch (result)
                {
                    case OutboundQueue.Result.WriteNow:
                        Assert.Equal(framed, write!.ToArray());
                        expected.AddRange(framed);
                        wire.Sent(write);
                        break;
                    case OutboundQueue.Result.Queued:
                        Assert.Null(write);
                        Assert.Equal(pendingBefore + framed.Length, q.PendingBytes);
                        expected.AddRange(framed);
                        break;
                    default:
                        Assert.Null(write);
                        Assert.True(pendingBefore + framed.Length > limit);
                        Assert.Equal(pendingBefore, q.PendingBytes);
                        break;
                }
                Assert.InRange(q.PendingBytes, 0, limit);
                wire.Unchanged();
            }
            else if (wire.Busy)
            {
                wire.Ack();
            }

            Assert.Equal(wire.Busy, q.WriteInFlight);
        }

        wire.AckAll();
        Assert.Equal(0, q.TotalQueuedBytes);
        Assert.Equal(expected, wire.Output);
    }

    /// <summary>
    /// Raw framing with zero-copy payloads mixed in: ops % 4 = 0 enqueue a copy, 1 enqueue as is, 2 as is deferred
    /// then flushed, 3 ack. Whatever the mix, the bytes leave whole and in order, each write stays unchanged until its
    /// ack, and pending bytes never pass the limit.
    /// </summary>
    [Property]
    public void As_is_and_copied_payloads_leave_in_order(byte[][] payloads, byte[] ops, byte limitSeed)
    {
        var encoder = FrameCodecs.GetEncoder(FramingKind.Raw, LineEnding.Lf);
        long limit = 16 + limitSeed * 4;
        var inputs = payloads.Where(p => p is not null).ToArray();
        if (inputs.Length == 0)
            inputs = [[1, 2, 3]];

        using var q = new OutboundQueue(encoder, limit);
        var wire = new Wire(q);
        var expected = new List<byte>();
        int next = 0;

        foreach (var op in ops)
        {
            if (op % 4 == 3)
            {
                if (wire.Busy) wire.Ack();
                continue;
            }

            var payload = inputs[next++ % inputs.Length];
            long pendingBefore = q.PendingBytes;
            ByteString? write;
            var result = op % 4 == 0
                ? q.Enqueue(payload, out write)
                : q.EnqueueAsIs(ByteString.FromBytes((byte[])payload.Clone()), out write, defer: op % 4 == 2);
            if (result == OutboundQueue.Result.LimitExceeded)
            {
                Assert.True(pendingBefore + payload.Length > limit);
                Assert.Equal(pendingBefore, q.PendingBytes);
            }
            else
            {
                expected.AddRange(payload);
            }

            wire.Sent(write);
            if (op % 4 == 2) wire.Sent(q.Flush());
            Assert.InRange(q.PendingBytes, 0, limit);
            wire.Unchanged();
            Assert.Equal(q.WriteInFlight, wire.Busy);
        }

        wire.AckAll();
        Assert.Equal(0, q.TotalQueuedBytes);
        Assert.Equal(expected, wire.Output);
    }

    /// <summary>The socket's side of the queue: at most one write in flight, which must stay unchanged until its ack
    /// (the queue may not reuse its bytes), and what was acked, in order.</summary>
    private sealed class Wire(OutboundQueue q)
    {
        private ByteString? _inFlight;
        private byte[]? _snapshot;

        public List<byte> Output { get; } = new();

        public bool Busy => _inFlight is not null;

        /// <summary>A write the queue handed out (null: none).</summary>
        public void Sent(ByteString? write)
        {
            if (write is null) return;
            Assert.Null(_inFlight);
            _inFlight = write;
            _snapshot = write.ToArray();
            Assert.Equal(write.Count, q.InFlightBytes);
        }

        public void Unchanged()
        {
            if (_inFlight is not null) Assert.Equal(_snapshot, _inFlight.ToArray());
        }

        public void Ack()
        {
            Unchanged();
            Output.AddRange(_snapshot!);
            _inFlight = null;
            Sent(q.OnAck());
        }

        public void AckAll()
        {
            while (Busy) Ack();
        }
    }
}
