using System.Collections.Immutable;

namespace ActorNet.Chat.Core;

/// <summary>
/// Everything the command core knows about one client. Immutable: every command yields a new state. The session
/// actor saves it in the chat service after each change, so a restarted session recovers it.
/// </summary>
public sealed record SessionState
{
    /// <summary>The state of a client that just connected from <paramref name="host"/>.</summary>
    public static SessionState Connected(string host) => new() { Host = host };

    /// <summary>Connected over TLS (WHOIS 671).</summary>
    public bool Secure { get; init; }

    /// <summary>SHA-256 fingerprint of the client's TLS certificate, lower-case hex (WHOIS 276, CertFP); null without one.</summary>
    public string? CertFp { get; init; }

    /// <summary>The value of the IRCv3 <c>sts</c> capability for this connection's listener (<c>port=6697</c> on a
    /// plain one, <c>duration=...</c> on a TLS one); null when STS is not configured.</summary>
    public string? Sts { get; init; }

    public string? Nick { get; init; }

    /// <summary>User name from USER (prefixed with '~': no ident lookup).</summary>
    public string? User { get; init; }

    public string? RealName { get; init; }

    public string Host { get; init; } = "unknown";

    /// <summary>The password given with PASS, if any.</summary>
    public string? Password { get; init; }

    public bool Registered { get; init; }

    /// <summary>CAP LS/REQ was sent before registration and CAP END has not come yet: registration is held.</summary>
    public bool CapNegotiating { get; init; }

    /// <summary>A registration request is with the chat service (nick uniqueness check).</summary>
    public bool RegistrationPending { get; init; }

    /// <summary>Enabled capabilities.</summary>
    public ImmutableHashSet<string> Caps { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>The CAP LS version the client announced (0 = plain LS, 302 = LS 302).</summary>
    public int CapVersion { get; init; }

    /// <summary>Away message; null = present.</summary>
    public string? Away { get; init; }

    /// <summary>User mode +i.</summary>
    public bool Invisible { get; init; }

    /// <summary>User mode +o (after OPER).</summary>
    public bool Oper { get; init; }

    /// <summary>User mode +B (IRCv3 bot-mode): marked as a bot (WHOIS 335, WHO flag B, the bot tag on its messages).</summary>
    public bool Bot { get; init; }

    /// <summary>User mode +w (receives WALLOPS).</summary>
    public bool Wallops { get; init; }

    /// <summary>Channels the client is on, by case-folded name.</summary>
    public ImmutableSortedSet<string> Channels { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>IRCv3 MONITOR list: case-folded nick → the nick as the client gave it.</summary>
    public ImmutableSortedDictionary<string, string> Monitored { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Channels the client was invited to and has not joined since (display names, oldest first).</summary>
    public ImmutableList<string> Invites { get; init; } = ImmutableList<string>.Empty;

    /// <summary>When the client registered (signon time in WHOIS).</summary>
    public DateTimeOffset SignedOn { get; init; }

    /// <summary>When the client last sent PRIVMSG or NOTICE (or registered): WHOIS 317 and WHOX <c>l</c> count idle
    /// seconds from it. Updated at most once per <see cref="IdleResolution"/>, so that a talking client does not save
    /// its state with every line.</summary>
    public DateTimeOffset LastActive { get; init; }

    public static readonly TimeSpan IdleResolution = TimeSpan.FromSeconds(1);

    /// <summary>Whole seconds idle at <paramref name="now"/>.</summary>
    public long IdleSeconds(DateTimeOffset now) => Math.Max(0, (long)(now - (LastActive > SignedOn ? LastActive : SignedOn)).TotalSeconds);

    /// <summary>The nick, or "*" before one is set (the target of numerics).</summary>
    public string NickOrStar => Nick ?? "*";

    /// <summary>The source of messages from this client: nick!user@host.</summary>
    public string Prefix => $"{Nick}!{User}@{Host}";

    /// <summary>Whether the capability is enabled.</summary>
    public bool Has(string cap) => Caps.Contains(cap);

    /// <summary>User modes as a MODE string, e.g. "+iw".</summary>
    public string UserModes => "+" + (Bot ? "B" : "") + (Invisible ? "i" : "") + (Oper ? "o" : "") + (Wallops ? "w" : "");
}
