using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ActorNet.IntegrationTests.Support;

/// <summary>
/// A private network made of Linux network namespaces for one test, created and removed by the test itself: a hub
/// namespace holding a bridge, and one namespace per node joined to it by a veth pair, on 10.213.&lt;n&gt;.0/24 (an
/// address space that exists only inside these namespaces; nothing touches the host's own interfaces). Cutting a
/// node takes its link down on the hub side, so its packets are dropped rather than refused — what a partition
/// looks like to Akka's failure detector, unlike a killed process.
/// </summary>
public sealed class NetworkNamespaces : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly string _prefix;
    private readonly int _count;
    private readonly int _subnet;

    private NetworkNamespaces(string prefix, int count, int subnet)
    {
        _prefix = prefix;
        _count = count;
        _subnet = subnet;
    }

    private string Hub => _prefix + "hub";

    /// <summary>The namespace of node <paramref name="i"/> (0-based).</summary>
    public string Node(int i) => $"{_prefix}n{i}";

    /// <summary>The address of node <paramref name="i"/> on the private subnet.</summary>
    public IPAddress Address(int i) => IPAddress.Parse($"10.213.{_subnet}.{i + 1}");

    /// <summary>Creates the hub and <paramref name="count"/> node namespaces, or throws saying why it cannot here
    /// (not Linux, not root, no iproute2): the caller fails loudly rather than passing without a network.</summary>
    public static NetworkNamespaces Create(int count)
    {
        if (!OperatingSystem.IsLinux()) throw new InvalidOperationException("network namespaces need Linux");
        if (Environment.UserName != "root" && geteuid() != 0) throw new InvalidOperationException("network namespaces need root (ip netns add)");
        if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip"))
            throw new InvalidOperationException("iproute2's ip is not installed (apt-get install iproute2)");
        var tag = Random.Shared.Next(0x1000, 0xffff).ToString("x4");
        var net = new NetworkNamespaces($"an{tag}", count, Random.Shared.Next(1, 250));
        try
        {
            net.Ip($"netns add {net.Hub}");
            net.Ip($"-n {net.Hub} link add br0 type bridge");
            net.Ip($"-n {net.Hub} link set br0 up");
            for (var i = 0; i < count; i++)
            {
                var ns = net.Node(i);
                net.Ip($"netns add {ns}");
                net.Ip($"-n {ns} link set lo up");
                net.Ip($"-n {ns} link add eth0 type veth peer name h{i} netns {net.Hub}");
                net.Ip($"-n {ns} addr add {net.Address(i)}/24 dev eth0");
                net.Ip($"-n {ns} link set eth0 up");
                net.Ip($"-n {net.Hub} link set h{i} master br0 up");
            }
        }
        catch
        {
            net.Dispose();
            throw;
        }

        return net;
    }

    /// <summary>Drops every packet to and from node <paramref name="i"/> (its hub-side link goes down).</summary>
    public void Cut(int i) => Ip($"-n {Hub} link set h{i} down");

    /// <summary>Brings node <paramref name="i"/>'s link back.</summary>
    public void Heal(int i) => Ip($"-n {Hub} link set h{i} up");

    /// <summary><paramref name="psi"/> run inside node <paramref name="i"/>'s namespace (ip netns exec execs the
    /// program in place: the process id is the program's, so signals reach it directly).</summary>
    public ProcessStartInfo Inside(int i, ProcessStartInfo psi)
    {
        var wrapped = new ProcessStartInfo("ip")
        {
            WorkingDirectory = psi.WorkingDirectory,
            RedirectStandardOutput = psi.RedirectStandardOutput,
            RedirectStandardError = psi.RedirectStandardError,
            RedirectStandardInput = psi.RedirectStandardInput,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "netns", "exec", Node(i), psi.FileName }.Concat(psi.ArgumentList)) wrapped.ArgumentList.Add(arg);
        foreach (var (key, value) in psi.Environment) wrapped.Environment[key] = value;
        return wrapped;
    }

    /// <summary>A TCP connection made from inside node <paramref name="i"/>'s namespace (to its 127.0.0.1, say). The
    /// socket is created on a thread that has entered the namespace (setns(2) is per thread) and keeps it for life.</summary>
    public Socket ConnectFrom(int i, IPEndPoint endpoint)
    {
        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var own = File.OpenHandle("/proc/thread-self/ns/net");
                using var target = File.OpenHandle($"/var/run/netns/{Node(i)}");
                Enter(target);
                try
                {
                    var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    s.Connect(endpoint);
                    socket = s;
                }
                finally
                {
                    Enter(own);
                }
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new IOException($"connecting to {endpoint} in {Node(i)} failed: {error?.Message}", error);
    }

    private static void Enter(SafeFileHandle ns)
    {
        if (setns(ns.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
            throw new IOException($"setns failed: errno {Marshal.GetLastPInvokeError()}");
    }

    private void Ip(string args)
    {
        using var p = Process.Start(new ProcessStartInfo("ip", args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ip {args} failed ({p.ExitCode}): {stderr.Trim()}");
    }

    public void Dispose()
    {
        // deleting a namespace deletes its end of every veth pair, and with it the peer
        for (var i = 0; i < _count; i++) TryIp($"netns del {Node(i)}");
        TryIp($"netns del {Hub}");
    }

    private void TryIp(string args)
    {
        try { Ip(args); }
        catch (InvalidOperationException) { }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);

    [DllImport("libc")]
    private static extern uint geteuid();
}
