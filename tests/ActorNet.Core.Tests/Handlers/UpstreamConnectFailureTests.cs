using System.Net;
using ActorNet.Handlers.BuiltIn;
using Akka.IO;
using Xunit;

namespace ActorNet.Core.Tests.Handlers;

/// <summary>The reason a forward connection gives when its upstream connect fails: Akka.IO's one generic exception
/// for every failure is said in plain words, any other cause is kept as it is.</summary>
public class UpstreamConnectFailureTests
{
    private static readonly Tcp.Connect Connect = new(new IPEndPoint(IPAddress.Loopback, 9));

    [Fact]
    public void Akka_IOs_generic_connect_failure_reads_as_refused_or_unreachable()
    {
        var failed = new Tcp.CommandFailed(Connect).WithCause(new Exception("Could not establish connection because finishConnect never returned true"));
        Assert.Equal("nothing accepted it (refused or unreachable)", UpstreamLink.ConnectFailure(failed));
    }

    [Fact]
    public void Another_cause_is_kept()
    {
        var failed = new Tcp.CommandFailed(Connect).WithCause(new Exception("Connect timeout of 00:00:05 expired"));
        Assert.Equal("Connect timeout of 00:00:05 expired", UpstreamLink.ConnectFailure(failed));
    }
}
