using ActorNet.Config;
using ActorNet.Framing;
using ActorNet.Transport;
using Akka.Actor;
using Akka.IO;

namespace ActorNet.Handlers.BuiltIn;

/// <summary>
/// The link's flow control, both directions: upstream reads pulled one at a time within <see cref="ReadWindow"/> and
/// handed to the client connection, the client's frames queued for the upstream with their read credit held while
/// the queue is above its soft limit.
/// </summary>
public sealed partial class UpstreamLink
{
    private void OnAck(Link link)
    {
        _writer.OnAck();
        CheckWatermark(link);
    }

    /// <summary>One read at a time, and only while fewer than <see cref="ReadWindow"/> reads wait for the client.</summary>
    private void RequestRead(Link link)
    {
        if (_tls is not null)
        {
            RequestTlsReads(link);
            return;
        }

        if (link.ReadRequested || link.Unacked >= ReadWindow) return;
        link.ReadRequested = true;
        link.Socket.Tell(Tcp.ResumeReading.Instance);
    }

    /// <summary>The soft limit of the upstream's write queue (the same <see cref="WriteWatermark"/> as a client
    /// connection's): while paused the client's credit is held (so the client is not read further), once it flows
    /// again what was held goes back.</summary>
    private void CheckWatermark(Link link)
    {
        _writer.UpdateWatermark();
        if (_writer.Watermark.Paused || link.HeldCredit == 0) return;
        _setup.Owner.Tell(new ForwardHandler.CreditBack(link.HeldCredit));
        link.HeldCredit = 0;
    }

    private void GiveBack(Link link, long credit)
    {
        if (credit == 0) return;
        if (_writer.Watermark.Paused)
        {
            link.HeldCredit += credit;
            return;
        }

        _setup.Owner.Tell(new ForwardHandler.CreditBack(credit));
    }

    /// <summary>Frames of one upstream read (plain bytes) to the client connection; false when the link failed.</summary>
    private bool Deliver(Link link, ByteString data)
    {
        _frames.Clear();
        var status = _decoder.Decode(data, _frames); // zero-copy slices of the immutable read
        if (_frames.Count > 0)
        {
            link.Unacked++;
            _setup.Client.Tell(new Connection.SendAcked(_frames.ToArray(), Delivered.Instance), Self);
        }

        if (status == DecodeStatus.Ok) return true;
        link.Socket.Tell(Tcp.Abort.Instance);
        Fail($"upstream sent a bad frame ({status})");
        return false;
    }

    /// <param name="defer">frame into the pending buffer even when idle; the caller flushes</param>
    /// <returns>false when the queue limit was exceeded (the link failed)</returns>
    private bool Enqueue(Link link, ByteString data, bool defer = false)
    {
        if (data.IsEmpty && _setup.Listener.Framing == FramingKind.Raw) return true;
        if (_writer.Enqueue(data, defer: defer) != OutboundQueue.Result.LimitExceeded)
        {
            if (!defer) CheckWatermark(link);
            return true;
        }

        link.Socket.Tell(Tcp.Abort.Instance);
        Fail($"upstream is too slow: more than {_setup.Listener.WriteQueueLimitBytes} bytes queued");
        return false;
    }
}
