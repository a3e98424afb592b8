using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorNet.Testing;

/// <summary>
/// A TCP client for echo-style listeners that proves delivery: it sends numbered lines (<c>NAME SEQ</c>) and checks
/// every line that comes back. <see cref="Received"/> counts lines in the expected order; a repeated number is a
/// <see cref="Duplicates"/>, a skipped one a <see cref="Gaps"/> (loss or reordering). Not thread-safe: one test task per client.
/// </summary>
public sealed class CountingClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly StringBuilder _pending = new();
    private readonly string _prefix;

    private CountingClient(TcpClient client, string name)
    {
        _client = client;
        _stream = client.GetStream();
        Name = name;
        _prefix = name + " ";
        LocalEndpoint = (IPEndPoint)client.Client.LocalEndPoint!;
    }

    public string Name { get; }

    /// <summary>This client's end of the socket (the node sees it as the connection's remote endpoint).</summary>
    public IPEndPoint LocalEndpoint { get; }

    /// <summary>Numbered lines sent.</summary>
    public long Sent { get; private set; }

    /// <summary>Lines received back in order (the next expected number).</summary>
    public long Received { get; private set; }

    /// <summary>Lines received with a number already seen.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Lines received ahead of the expected number (something was lost or reordered).</summary>
    public long Gaps { get; private set; }

    /// <summary>Other lines (greetings, error lines).</summary>
    public List<string> Other { get; } = new();

    /// <summary>The server closed or reset the connection.</summary>
    public bool Closed { get; private set; }

    /// <summary>Everything sent came back once, in order, and the connection is open.</summary>
    public bool Intact => !Closed && Received == Sent && Duplicates == 0 && Gaps == 0;

    /// <summary>What came back is an in-order prefix of what was sent: nothing duplicated, reordered or invented.</summary>
    public bool PrefixIntact => Received <= Sent && Duplicates == 0 && Gaps == 0;

    public static async Task<CountingClient> ConnectAsync(IPEndPoint endpoint, string name)
    {
        var client = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(endpoint, cts.Token).ConfigureAwait(false);
        return new CountingClient(client, name);
    }

    /// <summary>Sends the next <paramref name="count"/> numbered lines in one write. False if the connection is gone.</summary>
    public async Task<bool> SendAsync(int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
            sb.Append(_prefix).Append((Sent + i).ToString(CultureInfo.InvariantCulture)).Append('\n');
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()), cts.Token).ConfigureAwait(false);
            Sent += count;
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Closed = true;
            return false;
        }
    }

    /// <summary>Reads until everything sent came back (true), the connection closes or the timeout passes (false).</summary>
    public async Task<bool> ReceiveAllAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (Received + Duplicates + Gaps < Sent && !Closed)
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                read = 0;
            }

            if (read == 0)
            {
                Closed = true;
                break;
            }

            _pending.Append(Encoding.UTF8.GetString(_buffer, 0, read));
            ParseLines();
        }

        return Received == Sent && !Closed;
    }

    /// <summary>Sends <paramref name="count"/> lines in batches of <paramref name="batch"/>, waiting for each batch to
    /// come back. False as soon as the connection is gone or a batch is late.</summary>
    public async Task<bool> ExchangeAsync(int count, int batch = 10, TimeSpan? timeout = null)
    {
        for (var done = 0; done < count; done += batch)
        {
            if (!await SendAsync(Math.Min(batch, count - done)).ConfigureAwait(false)) return false;
            if (!await ReceiveAllAsync(timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false)) return false;
        }

        return true;
    }

    /// <summary>Waits until the server closes the connection (true) or the timeout passes (false).</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(_buffer, cts.Token).ConfigureAwait(false);
                if (read == 0) break;
                _pending.Append(Encoding.UTF8.GetString(_buffer, 0, read));
                ParseLines();
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // a reset counts as closed
        }

        Closed = true;
        return true;
    }

    public override string ToString() =>
        $"{Name}: sent {Sent}, received {Received}, duplicates {Duplicates}, gaps {Gaps}, closed {Closed}";

    private void ParseLines()
    {
        var text = _pending.ToString();
        var start = 0;
        int newline;
        while ((newline = text.IndexOf('\n', start)) >= 0)
        {
            Count(text[start..newline].TrimEnd('\r'));
            start = newline + 1;
        }

        _pending.Clear().Append(text, start, text.Length - start);
    }

    private void Count(string line)
    {
        if (!line.StartsWith(_prefix, StringComparison.Ordinal)
            || !long.TryParse(line.AsSpan(_prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            Other.Add(line);
            return;
        }

        if (seq == Received) Received++;
        else if (seq < Received) Duplicates++;
        else Gaps++;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A UDP client that sends numbered datagrams (<c>NAME SEQ</c>) and counts what comes back, for echo- or
/// relay-style UDP listeners. Datagrams may be lost by design; <see cref="Received"/> counts distinct numbers.</summary>
public sealed class UdpCountingClient : IDisposable
{
    private readonly UdpClient _udp;
    private readonly IPEndPoint _target;
    private readonly HashSet<long> _seen = new();

    public UdpCountingClient(IPEndPoint target, string name)
    {
        _target = target;
        Name = name;
        _udp = new UdpClient(new IPEndPoint(target.Address, 0));
    }

    public string Name { get; }

    public long Sent { get; private set; }

    /// <summary>Distinct numbered datagrams received (from this client or, with a relay, any sender).</summary>
    public long Received => _seen.Count;

    public async Task SendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes($"{Name} {Sent}");
            await _udp.SendAsync(bytes, _target).ConfigureAwait(false);
            Sent++;
        }
    }

    /// <summary>The udp-relay's proof of address (README: UDP relay): says hello, echoes the COOKIE it gets, and
    /// returns once the relay answered WELCOME; from then on this client is a relay peer.</summary>
    public async Task HelloAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        await _udp.SendAsync("hello"u8.ToArray(), _target, cts.Token).ConfigureAwait(false);
        while (true)
        {
            var reply = (await _udp.ReceiveAsync(cts.Token).ConfigureAwait(false)).Buffer;
            if (reply.AsSpan().StartsWith("COOKIE "u8)) await _udp.SendAsync(reply, _target, cts.Token).ConfigureAwait(false);
            else if (reply.AsSpan().SequenceEqual("WELCOME\n"u8)) return;
        }
    }

    /// <summary>Receives until <paramref name="expected"/> distinct datagrams arrived or the timeout passes.</summary>
    public async Task<long> ReceiveAsync(long expected, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (_seen.Count < expected)
            {
                var result = await _udp.ReceiveAsync(cts.Token).ConfigureAwait(false);
                var text = Encoding.UTF8.GetString(result.Buffer);
                var space = text.LastIndexOf(' ');
                if (space > 0 && long.TryParse(text.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
                    _seen.Add(seq);
            }
        }
        catch (OperationCanceledException)
        {
            // timeout: report what arrived
        }

        return _seen.Count;
    }

    public void Dispose() => _udp.Dispose();
}
