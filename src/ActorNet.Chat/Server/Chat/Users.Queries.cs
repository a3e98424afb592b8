using System.Globalization;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Transport;
using Akka.Actor;
using Akka.Event;

namespace ActorNet.Chat.Server;

public sealed partial class UsersActor
{
    /// <summary>Requests the server answers itself from its directory; returns the replies for the asker.</summary>
    private IReadOnlyList<IrcMessage> Query(User me, ChatRequest request)
    {
        var nick = me.State.NickOrStar;
        var replies = new List<IrcMessage>();
        void Num(string code, params string[] p) => replies.Add(Replies.Numeric(Server, code, nick, p));

        switch (request)
        {
            case LusersRequest:
                replies.AddRange(Replies.Lusers(Server, nick, Counts()));
                break;
            case MonitorStatusRequest m:
                replies.AddRange(MonitorStatus(nick, m.Nicks));
                break;
            case WhoRequest w:
                var mask = Casemap.Fold(w.Mask);
                var left = _settings.MaxWhoReplies; // WHO * cannot walk (and answer) the whole user table
                foreach (var u in _users.Values.Where(u => u.State.Registered))
                {
                    if (left <= 0) break;
                    var s = u.State;
                    var exact = Casemap.Equals(s.Nick, w.Mask);
                    if (s.Invisible && !exact && !u.Session.Equals(me.Session) && !u.Channels.Keys.Any(me.Channels.ContainsKey)) continue;
                    if (!exact && !WhoMatches(mask, s.NickOrStar, s.Prefix, s.Host, s.RealName)) continue;
                    replies.Add(WhoReplies.Line(Server, nick, new WhoEntry("*", s.User ?? "*", s.Host, Server, s.NickOrStar,
                        (s.Away is null ? "H" : "G") + (s.Oper ? "*" : "") + (s.Bot ? "B" : ""), 0, s.RealName ?? "") { Idle = s.IdleSeconds(_time.GetUtcNow()) }, w.Whox));
                    left--;
                }

                // the users of the other nodes, from the remote directory (the same rules: +i users only by their
                // exact nick or to those sharing a channel with them), their node's name as the server
                if (Clustered)
                    foreach (var far in _remoteUsers.Values)
                    {
                        if (left <= 0) break;
                        var i = far.Info;
                        var exact = Casemap.Equals(i.Nick, w.Mask);
                        if (i.Invisible && !exact && !far.Channels.Keys.Any(me.Channels.ContainsKey)) continue;
                        if (!exact && !WhoMatches(mask, i.Nick, i.Prefix, i.Host, i.RealName)) continue;
                        replies.Add(WhoReplies.Line(Server, nick, new WhoEntry("*", i.User ?? "*", i.Host, _nodeNames.GetValueOrDefault(far.Node, far.Node.ToString()), i.Nick,
                            (i.Away is null ? "H" : "G") + (i.Oper ? "*" : ""), 1, i.RealName ?? ""), w.Whox));
                        left--;
                    }

                replies.Add(WhoReplies.End(Server, nick, w.Mask));
                break;
            case WhoisRequest w:
                if (!TryFind(w.Nick, out var target) && RemoteWhois(w.Nick, Num))
                    break;
                if (target is null)
                {
                    Num(Numerics.ERR_NOSUCHNICK, w.Nick, "No such nick/channel");
                    Num(Numerics.RPL_ENDOFWHOIS, w.Nick, "End of /WHOIS list");
                    break;
                }

                var t = target.State;
                Num(Numerics.RPL_WHOISUSER, t.NickOrStar, t.User ?? "*", t.Host, "*", t.RealName ?? "");
                // 319 with each channel's prefix (Modern IRC: "@#chan +#other").
                var channels = target.Channels.Select(kv => target.Prefixes.GetValueOrDefault(kv.Key, "") + kv.Value).ToArray();
                if (channels.Length > 0) Num(Numerics.RPL_WHOISCHANNELS, t.NickOrStar, string.Join(' ', channels));
                Num(Numerics.RPL_WHOISSERVER, t.NickOrStar, Server, _settings.NetworkName);
                if (t.Oper) Num(Numerics.RPL_WHOISOPERATOR, t.NickOrStar, "is an IRC operator");
                if (t.Bot) Num(Numerics.RPL_WHOISBOT, t.NickOrStar, "is a bot"); // IRCv3 bot-mode
                if (t.Away is { } away) Num(Numerics.RPL_AWAY, t.NickOrStar, away);
                if (t.Secure) Num(Numerics.RPL_WHOISSECURE, t.NickOrStar, "is using a secure connection");
                // the fingerprint is an identity: shown to its owner and to operators only (as Ergo and InspIRCd do)
                if (t.CertFp is { } fp && (target == me || me.State.Oper))
                    Num(Numerics.RPL_WHOISCERTFP, t.NickOrStar, "has client certificate fingerprint " + fp);
                Num(Numerics.RPL_WHOISIDLE, t.NickOrStar, t.IdleSeconds(_time.GetUtcNow()).ToString(CultureInfo.InvariantCulture), Replies.Unix(t.SignedOn), "seconds idle, signon time");
                Num(Numerics.RPL_ENDOFWHOIS, t.NickOrStar, "End of /WHOIS list");
                break;
            case WhowasRequest w:
                // Newest first (the history is searched backward); Count > 0 limits it, else every entry kept.
                var seen = _whowas.Where(e => Casemap.Equals(e.State.Nick, w.Nick)).Take(w.Count > 0 ? w.Count : int.MaxValue).ToList();
                if (seen.Count == 0) Num(Numerics.ERR_WASNOSUCHNICK, w.Nick, "There was no such nickname");
                foreach (var e in seen)
                {
                    Num(Numerics.RPL_WHOWASUSER, e.State.NickOrStar, e.State.User ?? "*", e.State.Host, "*", e.State.RealName ?? "");
                    Num(Numerics.RPL_WHOISSERVER, e.State.NickOrStar, Server, e.At.UtcDateTime.ToString("u", CultureInfo.InvariantCulture));
                }

                Num(Numerics.RPL_ENDOFWHOWAS, w.Nick, "End of WHOWAS");
                break;
            case UserhostRequest u:
                var found = u.Nicks.Select(n => TryFind(n, out var x) ? x.State : null).OfType<SessionState>()
                    .Select(s => $"{s.Nick}{(s.Oper ? "*" : "")}={(s.Away is null ? "+" : "-")}{s.User}@{s.Host}");
                Num(Numerics.RPL_USERHOST, string.Join(' ', found));
                break;
            case IsonRequest i:
                Num(Numerics.RPL_ISON, string.Join(' ', i.Nicks.Select(n => TryFind(n, out var x) ? x.State.NickOrStar
                    : _remoteUsers.TryGetValue(n, out var r) ? r.Info.Nick : null).OfType<string>()));
                break;
            case KillRequest k:
                if (TryFind(k.Nick, out var victim)) Kill(victim, nick, k.Reason);
                else if (KillRemote(me, k) is { } refusal) replies.Add(refusal);
                break;
            case WallopsRequest w:
                var wallops = new Outgoing(IrcMessage.FromSource(me.State.Prefix, "WALLOPS", w.Text), _time.GetUtcNow());
                foreach (var u in _users.Values.Where(u => u.State.Registered && (u.State.Wallops || u.State.Oper)))
                    u.Connection.Tell(wallops.For(u.State.Caps), ActorRefs.NoSender);
                break;
        }

        return replies;
    }

    /// <summary>KILL of a user of this node (by an operator of this node or, cluster mode, of another).</summary>
    private void Kill(User victim, string killer, string reason)
    {
        var detail = $"{killer} ({reason})";
        _log.Warning("chat: {Oper} killed {Nick}: {Reason}", killer, victim.State.NickOrStar, reason);
        var connection = victim.Connection;
        Quit(victim.Session, "Killed (" + detail + ")");
        connection.Tell(new Connection.Close(DisconnectReason.Killed, detail));
    }

    /// <summary>WHO &lt;mask&gt; (RFC 2812 3.6.1): the folded mask against the nick, nick!user@host, the host or the real name.</summary>
    private bool WhoMatches(string foldedMask, string nick, string prefix, string host, string? realName) =>
        ChannelModeParser.WildcardMatch(foldedMask, Casemap.Fold(nick)) || ChannelModeParser.WildcardMatch(foldedMask, Casemap.Fold(prefix))
        || ChannelModeParser.WildcardMatch(foldedMask, Casemap.Fold(host))
        || (realName is not null && ChannelModeParser.WildcardMatch(foldedMask, Casemap.Fold(realName)));

    private bool TryFind(string nick, out User user)
    {
        if (_nicks.TryGetValue(nick, out var session) && _users.TryGetValue(session, out var found))
        {
            user = found;
            return true;
        }

        user = null!;
        return false;
    }
}
