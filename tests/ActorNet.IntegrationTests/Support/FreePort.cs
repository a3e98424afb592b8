using System.Net;
using System.Net.Sockets;

namespace ActorNet.IntegrationTests.Support;

/// <summary>A loopback TCP port that was free a moment ago (for cluster seed nodes, whose address must be known in advance).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
