using System.Text;
using ActorNet.Chat.Protocol;

namespace ActorNet.Chat.Core;

/// <summary>
/// IRCv3 MONITOR (https://ircv3.net/specs/extensions/monitor) and SETNAME (https://ircv3.net/specs/extensions/setname).
/// The monitor list lives in the session state; the chat service indexes it from the saved state and tells watchers
/// when a monitored nick comes online (730) or goes offline (731).
/// </summary>
internal static class MonitorCommands
{
    /// <summary>Bytes of targets per 730/731/732 line before another line is started (a line stays far below 512).</summary>
    public const int ChunkBytes = 400;

    // MONITOR + target[,target2]* | MONITOR - target[,target2]* | MONITOR C | MONITOR L | MONITOR S
    public static CoreResult Monitor(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        switch (m.Params[0])
        {
            case "+" or "-" when m.ParamCount < 2:
                return o.Num(Numerics.ERR_NEEDMOREPARAMS, "MONITOR", "Not enough parameters").Result;
            case "+":
                return Add(o, m.Params[1]);
            case "-":
                var list = s.Monitored;
                foreach (var target in Targets(m.Params[1])) list = list.Remove(v.CaseMapping.Fold(target));
                o.State = s with { Monitored = list }; // no output (the spec)
                return o.Result;
            case "C" or "c":
                o.State = s with { Monitored = s.Monitored.Clear() };
                return o.Result;
            case "L" or "l":
                foreach (var line in Chunks(s.Monitored.Values)) o.Num(Numerics.RPL_MONLIST, line);
                return o.Num(Numerics.RPL_ENDOFMONLIST, "End of MONITOR list").Result;
            case "S" or "s":
                return s.Monitored.Count == 0 ? o.Result : o.Ask(new MonitorStatusRequest(s.Monitored.Values.ToArray())).Result;
            default:
                return o.Result; // an unknown subcommand: the spec defines no error for it
        }
    }

    private static CoreResult Add(Out o, string parameter)
    {
        var v = o.View;
        var list = o.State.Monitored;
        var added = new List<string>();
        var targets = Targets(parameter).ToArray();
        for (var i = 0; i < targets.Length; i++)
        {
            var target = targets[i];
            // "target MUST be a valid nick": masks (*!user@host) are refused, so nobody can watch a host.
            if (!IrcNames.IsValidNick(target, v.Settings.NickLength))
            {
                o.Num(Numerics.ERR_ERRONEUSNICKNAME, target, "Erroneous nickname");
                continue;
            }

            var key = v.CaseMapping.Fold(target);
            if (!list.ContainsKey(key))
            {
                if (list.Count >= v.Settings.MaxMonitor)
                {
                    o.Num(Numerics.ERR_MONLISTFULL, v.Settings.MaxMonitor.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        string.Join(',', targets[i..]), "Monitor list is full.");
                    break;
                }

                list = list.Add(key, target);
            }

            added.Add(target);
        }

        o.State = o.State with { Monitored = list };
        if (added.Count > 0) o.Ask(new MonitorStatusRequest(added));
        return o.Result;
    }

    private static IEnumerable<string> Targets(string parameter) => parameter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Comma-joined targets, at most <see cref="ChunkBytes"/> bytes per chunk (730, 731 and 732 lines).</summary>
    public static IEnumerable<string> Chunks(IEnumerable<string> targets)
    {
        var sb = new StringBuilder();
        foreach (var t in targets)
        {
            if (sb.Length > 0 && sb.Length + 1 + Encoding.UTF8.GetByteCount(t) > ChunkBytes)
            {
                yield return sb.ToString();
                sb.Clear();
            }

            if (sb.Length > 0) sb.Append(',');
            sb.Append(t);
        }

        if (sb.Length > 0) yield return sb.ToString();
    }

    /// <summary>The 730 and 731 lines for targets: online ones with their <c>nick!user@host</c>.</summary>
    public static IEnumerable<IrcMessage> Status(string server, string nick, IEnumerable<string> online, IEnumerable<string> offline)
    {
        foreach (var line in Chunks(online)) yield return Replies.Numeric(server, Numerics.RPL_MONONLINE, nick, line);
        foreach (var line in Chunks(offline)) yield return Replies.Numeric(server, Numerics.RPL_MONOFFLINE, nick, line);
    }

    /// <summary>Realnames longer than this (bytes) are refused by SETNAME (USER truncates at the same length).</summary>
    public const int MaxRealNameBytes = 100;

    // IRCv3 setname: SETNAME :<realname>
    public static CoreResult Setname(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        var name = m.Params[0];
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > MaxRealNameBytes)
            return o.Send(new IrcMessage(v.Server, "FAIL", ["SETNAME", "INVALID_REALNAME", "Realname is not valid"])).Result;
        // The service tells common channels' and watchers' clients that negotiated setname, then the client itself
        // gets its confirmation (when it has the cap).
        o.State = s with { RealName = name };
        var line = IrcMessage.FromSource(s.Prefix, "SETNAME", name);
        return o.Ask(new PresenceRequest(CapCommands.Setname, line, s.Has(CapCommands.Setname) ? line : null)).Result;
    }
}
