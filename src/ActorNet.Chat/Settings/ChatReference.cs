namespace ActorNet.Chat.Settings;

/// <summary>The reference HOCON of the chat service: every key, its default and what it means. Used as the fallback
/// under whatever block the settings are read from.</summary>
public static class ChatReference
{
    /// <summary>The <c>actornet.chat { }</c> reference block (keys relative to <c>actornet.chat</c>).</summary>
    public const string Hocon = """
        # Name this server gives itself in every reply (the source of numerics). A DNS-like name.
        server-name = "irc.actornet.local"
        # NETWORK= in ISUPPORT (005) and the network in 001. May contain spaces.
        network-name = "ActorNet"
        # Message of the day: lines separated by \n; empty = no MOTD (422 ERR_NOMOTD).
        motd = "Welcome to ActorNet IRC."
        # Connection password checked against PASS during registration; empty = no password.
        password = ""
        # IRC operators: name = password, used by OPER <name> <password>.
        opers { }
        # A PING is sent after this long without input from a registered client.
        ping-interval = 90s
        # The client is closed (Ping timeout) if nothing arrives this long after our PING.
        ping-timeout = 60s
        # A client that has not completed NICK/USER (and CAP END) within this time is closed.
        registration-timeout = 30s
        flood {
          # Lines a client may send at once before flood control starts delaying it (token bucket capacity).
          burst = 10
          # Lines per second refilled into the bucket.
          per-second = 2
          # Lines held back while the bucket is empty; one more closes the client with ERROR :Excess Flood.
          max-queued = 20
        }
        # Channels one client may be on at once (CHANLIMIT); JOIN beyond it answers 405.
        max-channels-per-user = 20
        # NICKLEN: longest nickname accepted (432 beyond).
        nick-length = 30
        # CHANNELLEN: longest channel name in bytes.
        channel-length = 50
        # TOPICLEN: topics are cut to this many bytes.
        topic-length = 390
        # AWAYLEN: away messages are cut to this many bytes.
        away-length = 200
        # KICKLEN: kick reasons are cut to this many bytes.
        kick-length = 255
        # CASEMAPPING used to compare nicks and channels: ascii, rfc1459 or strict-rfc1459.
        casemapping = rfc1459
        """;
}
