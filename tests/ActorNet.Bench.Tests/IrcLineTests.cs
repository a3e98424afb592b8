using System.Text;
using ActorNet.Bench.Core;

namespace ActorNet.Bench.Tests;

public class IrcLineTests
{
    [Theory]
    [InlineData(":a!b@c PRIVMSG #bench :1.2.3.xx", "PRIVMSG", "1.2.3.xx")]
    [InlineData("@t=1 :srv 001 nick :Welcome", "001", "Welcome")]
    [InlineData("PING :token", "PING", "token")]
    [InlineData("PING token", "PING", "token")]
    [InlineData(":srv 366 n #bench :End of /NAMES list.", "366", "End of /NAMES list.")]
    public void Finds_command_and_trailing(string line, string command, string trailing)
    {
        var cmd = IrcLine.Command(Encoding.ASCII.GetBytes(line), out var rest);
        Assert.Equal(command, Encoding.ASCII.GetString(cmd));
        Assert.Equal(trailing, Encoding.ASCII.GetString(IrcLine.Trailing(rest)));
    }

    private sealed class Collect : ILineSink
    {
        public List<string> Lines { get; } = new();
        public bool OnLine(ReadOnlySpan<byte> line)
        {
            Lines.Add(Encoding.ASCII.GetString(line));
            return true;
        }
    }

    [Fact]
    public void Split_strips_crlf_and_lf_and_keeps_a_partial_line()
    {
        var data = Encoding.ASCII.GetBytes("a\r\nb\nc");
        var sink = new Collect();
        int start = 0;
        Assert.True(LineLoop.Split(data, ref start, data.Length, sink));
        Assert.Equal(["a", "b"], sink.Lines);
        Assert.Equal(5, start);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("localhost", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("example.com", false)]
    public void Only_loopback_hosts_are_accepted(string host, bool ok) =>
        Assert.Equal(ok, BenchOptions.TryParseLoopback(host, out _, out _));
}
