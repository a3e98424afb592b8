using ActorNet.Chat.Settings;
using ActorNet.Config;

namespace ActorNet.Chat.Session;

/// <summary>The IRCv3 STS policy a listener advertises (https://ircv3.net/specs/extensions/sts): plain TCP listeners
/// point to the TLS port (<c>port=6697</c>), TLS ones say how long to keep the policy (<c>duration=2592000</c>).
/// WebSocket listeners advertise nothing (STS is for IRC over TCP; browsers have HSTS).</summary>
public static class Sts
{
    /// <summary>The <c>sts</c> capability's value for sessions of <paramref name="listener"/>; null = not advertised.</summary>
    public static string? Value(ChatSettings settings, ListenerSettings listener)
    {
        if (settings.StsPort == 0 || listener.Transport != TransportKind.Tcp) return null;
        if (listener.Tls is null) return "port=" + settings.StsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var seconds = ((long)settings.StsDuration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "duration=" + seconds + (settings.StsPreload ? ",preload" : "");
    }
}
