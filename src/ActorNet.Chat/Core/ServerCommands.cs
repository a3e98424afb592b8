using System.Globalization;
using ActorNet.Chat.Protocol;
using ActorNet.Transport;

namespace ActorNet.Chat.Core;

/// <summary>Commands about the connection and the server: PING, PONG, QUIT, MOTD, VERSION, TIME, INFO, HELP, LINKS, LUSERS.</summary>
internal static class ServerCommands
{
    // RFC 2812 3.7.2: PING <server1> [<server2>]
    public static CoreResult Ping(SessionState s, ChatView v, IrcMessage m) =>
        new Out(s, v).Send(new IrcMessage(v.Server, "PONG", [v.Server, m.Params[0]])).Result;

    // RFC 2812 3.7.3: PONG <server> [<server2>]  (any input counts as activity; the session tracks it)
    public static CoreResult Pong(SessionState s, ChatView v, IrcMessage m) => new(s, []);

    // RFC 2812 3.1.7: QUIT [<Quit Message>]
    public static CoreResult Quit(SessionState s, ChatView v, IrcMessage m)
    {
        var reason = m.Param(0) is { Length: > 0 } text ? "Quit: " + Replies.Truncate(text, v.Settings.KickLength) : "Client Quit";
        return QuitWith(s, v, reason, DisconnectReason.HandlerClosed);
    }

    /// <summary>The client leaves with <paramref name="reason"/> (what its channels see), then ERROR and close.</summary>
    public static CoreResult QuitWith(SessionState s, ChatView v, string reason, DisconnectReason closeReason)
    {
        var o = new Out(s, v);
        // asked, not told: the ERROR (and the close) wait until the service has told everyone (MONITOR watchers
        // see 731 before the quitting client sees its link close)
        if (s.Registered) o.Ask(new QuitRequest(reason));
        return o.Close(closeReason, $"Closing link: {s.Host} ({reason})").Result;
    }

    // RFC 2812 3.4.1: MOTD [<target>]
    public static CoreResult Motd(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        WriteMotd(o);
        return o.Result;
    }

    public static void WriteMotd(Out o)
    {
        var motd = o.View.Settings.Motd;
        if (motd.Count == 0)
        {
            o.Num(Numerics.ERR_NOMOTD, "MOTD File is missing");
            return;
        }

        o.Num(Numerics.RPL_MOTDSTART, $"- {o.Server} Message of the day - ");
        foreach (var line in motd) o.Num(Numerics.RPL_MOTD, "- " + line);
        o.Num(Numerics.RPL_ENDOFMOTD, "End of /MOTD command.");
    }

    // RFC 2812 3.4.3: VERSION [<target>]
    public static CoreResult VersionCommand(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v).Num(Numerics.RPL_VERSION, ChatView.Version, v.Server, "ActorNet IRC on Akka.NET");
        foreach (var line in ISupport.BuildReplies(v.Server, s.NickOrStar, v.Settings.ISupport)) o.Send(line);
        return o.Result;
    }

    // RFC 2812 3.4.6: TIME [<target>]
    public static CoreResult Time(SessionState s, ChatView v, IrcMessage m) =>
        new Out(s, v).Num(Numerics.RPL_TIME, v.Server, Replies.Unix(v.Now), "0",
            v.Now.UtcDateTime.ToString("dddd MMMM dd yyyy -- HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)).Result;

    // RFC 2812 3.4.10: INFO [<target>]
    public static CoreResult Info(SessionState s, ChatView v, IrcMessage m) =>
        new Out(s, v)
            .Num(Numerics.RPL_INFO, $"{ChatView.Version}: an IRC server inside an ActorNet node (Akka.NET actors:")
            .Num(Numerics.RPL_INFO, "one session per connection, one actor per channel, a nick registry).")
            .Num(Numerics.RPL_INFO, $"Started {v.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC")
            .Num(Numerics.RPL_ENDOFINFO, "End of /INFO list").Result;

    // Modern: HELP [<subject>]
    public static CoreResult Help(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        var subject = m.Param(0)?.ToUpperInvariant();
        if (subject is null or "" or "*")
        {
            o.Num(Numerics.RPL_HELPSTART, "*", "ActorNet IRC: commands you can use");
            foreach (var chunk in CommandCore.Table.Keys.Order(StringComparer.Ordinal).Chunk(10))
                o.Num(Numerics.RPL_HELPTXT, "*", string.Join(' ', chunk));
            return o.Num(Numerics.RPL_ENDOFHELP, "*", "End of /HELP").Result;
        }

        if (!CommandCore.Table.TryGetValue(subject, out var spec))
            return o.Num(Numerics.ERR_HELPNOTFOUND, subject, "No help available on this topic").Result;
        o.Num(Numerics.RPL_HELPSTART, subject, $"{subject}: at least {spec.MinParams} parameter(s)");
        o.Num(Numerics.RPL_HELPTXT, subject, spec.BeforeRegistration ? "Allowed before registration" : "Needs registration");
        return o.Num(Numerics.RPL_ENDOFHELP, subject, "End of /HELP").Result;
    }

    // RFC 2812 3.4.5: LINKS [[<remote server>] <server mask>]
    public static CoreResult Links(SessionState s, ChatView v, IrcMessage m) =>
        new Out(s, v)
            .Num(Numerics.RPL_LINKS, v.Server, v.Server, "0 " + v.Settings.ServerInfo)
            .Num(Numerics.RPL_ENDOFLINKS, m.Param(0) ?? "*", "End of /LINKS list").Result;

    // RFC 2812 3.4.2: LUSERS [<mask> [<target>]]
    public static CoreResult Lusers(SessionState s, ChatView v, IrcMessage m) => new Out(s, v).Ask(new LusersRequest()).Result;
}
