namespace ActorNet.Handlers.BuiltIn;

/// <summary><c>handler = echo</c> on TCP: every frame goes back to its sender; the frames of one read go back with one
/// <see cref="Transport.Connection.SendMany"/> (one write when none is in flight).</summary>
public sealed class EchoHandler : ConnectionHandler, IAcceptsFrameBatches
{
    public EchoHandler(HandlerContext context) : base(context)
    {
        Receive<FrameReceived>(frame => Send(frame.Data));
        Receive<FramesReceived>(batch => SendMany(batch.Frames));
    }
}

/// <summary><c>handler = echo</c> on UDP: every datagram goes back to its sender.</summary>
public sealed class UdpEchoHandler : DatagramHandler
{
    public UdpEchoHandler(DatagramContext context) : base(context) =>
        Receive<DatagramReceived>(datagram => SendTo(datagram.Data, datagram.Sender));
}
