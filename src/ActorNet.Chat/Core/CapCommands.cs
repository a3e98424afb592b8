using System.Collections.Immutable;
using System.Text;
using ActorNet.Chat.Protocol;

namespace ActorNet.Chat.Core;

/// <summary>IRCv3 capability negotiation (https://ircv3.net/specs/extensions/capability-negotiation).</summary>
internal static class CapCommands
{
    public const string MultiPrefix = "multi-prefix";
    public const string ServerTime = "server-time";
    public const string MessageTags = "message-tags";
    public const string EchoMessage = "echo-message";
    public const string UserhostInNames = "userhost-in-names";
    public const string AwayNotify = "away-notify";
    public const string Setname = "setname";
    public const string ExtendedMonitor = "extended-monitor";
    public const string InviteNotify = "invite-notify";

    /// <summary>CAP NEW / DEL: this server's capabilities are fixed for the life of the process (a reload does not
    /// change them), so there is never anything to announce; REQ of it is accepted without side effects, and with
    /// LS 302 it is on implicitly (not listed in CAP LIST, and -cap-notify cannot turn that off).</summary>
    public const string CapNotify = "cap-notify";

    /// <summary>The capabilities this server offers, in LS order.</summary>
    public static readonly ImmutableArray<string> Supported =
        [AwayNotify, LabeledResponse.BatchCap, CapNotify, EchoMessage, ExtendedMonitor, InviteNotify, LabeledResponse.Cap, MessageTags, MultiPrefix, ServerTime, Setname, UserhostInNames];

    /// <summary>Bytes of capability names per CAP LS line before a continuation line is started.</summary>
    public const int LsChunkBytes = 400;

    // CAP <subcommand> [:<capabilities>]   (LS [version], LIST, REQ :caps, END)
    public static CoreResult Cap(SessionState s, ChatView v, IrcMessage m)
    {
        var o = new Out(s, v);
        var sub = m.Params[0].ToUpperInvariant();
        switch (sub)
        {
            case "LS":
                var version = m.Param(1) is { } ver && int.TryParse(ver, out var n) ? n : 0;
                o.State = s with { CapNegotiating = !s.Registered || s.CapNegotiating, CapVersion = Math.Max(s.CapVersion, version >= 302 ? 302 : 0) };
                // sts carries a value, which only 302 clients are sent (IRCv3 STS); it is never requested (REQ sts: NAK)
                var offered = o.State.CapVersion >= 302 && s.Sts is { } sts ? Supported.Add("sts=" + sts) : Supported;
                foreach (var line in LsLines(v.Server, s.NickOrStar, offered, o.State.CapVersion >= 302, LsChunkBytes)) o.Send(line);
                break;
            case "LIST":
                o.Send(new IrcMessage(v.Server, "CAP", [s.NickOrStar, "LIST", string.Join(' ', s.Caps.Order(StringComparer.Ordinal))]));
                break;
            case "REQ":
                var request = m.Param(1) ?? "";
                if (!s.Registered) o.State = s with { CapNegotiating = true };
                var caps = TryApply(o.State.Caps, request);
                if (caps is null)
                {
                    o.Send(new IrcMessage(v.Server, "CAP", [s.NickOrStar, "NAK", request]));
                }
                else
                {
                    o.State = o.State with { Caps = caps };
                    o.Send(new IrcMessage(v.Server, "CAP", [s.NickOrStar, "ACK", request]));
                }

                break;
            case "END":
                if (!s.Registered && s.CapNegotiating)
                {
                    o.State = s with { CapNegotiating = false };
                    RegistrationCommands.TryRegister(o);
                }

                break;
            default:
                o.Num(Numerics.ERR_INVALIDCAPCMD, m.Params[0], "Invalid CAP command");
                break;
        }

        return o.Result;
    }

    /// <summary>The caps after a REQ, or null when any requested cap is unknown (the whole request is refused).</summary>
    public static ImmutableHashSet<string>? TryApply(ImmutableHashSet<string> current, string request)
    {
        var result = current;
        var any = false;
        foreach (var token in request.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            any = true;
            var remove = token.StartsWith('-');
            var name = remove ? token[1..] : token;
            if (!Supported.Contains(name)) return null;
            result = remove ? result.Remove(name) : result.Add(name);
        }

        return any ? result : null;
    }

    /// <summary>CAP LS lines; with 302 all but the last carry "*" before the list (multi-line continuation).</summary>
    public static IEnumerable<IrcMessage> LsLines(string server, string nick, IEnumerable<string> caps, bool v302, int chunkBytes)
    {
        var chunks = new List<string>();
        var sb = new StringBuilder();
        foreach (var cap in caps)
        {
            if (sb.Length > 0 && sb.Length + 1 + Encoding.UTF8.GetByteCount(cap) > chunkBytes)
            {
                chunks.Add(sb.ToString());
                sb.Clear();
            }

            if (sb.Length > 0) sb.Append(' ');
            sb.Append(cap);
        }

        chunks.Add(sb.ToString());
        if (!v302)
        {
            // Before 302 there is no continuation marker: one line with everything.
            yield return new IrcMessage(server, "CAP", [nick, "LS", string.Join(' ', chunks)]);
            yield break;
        }

        for (var i = 0; i < chunks.Count; i++)
            yield return i < chunks.Count - 1
                ? new IrcMessage(server, "CAP", [nick, "LS", "*", chunks[i]])
                : new IrcMessage(server, "CAP", [nick, "LS", chunks[i]]);
    }
}
