using ActorNet.Chat.Protocol;
using ActorNet.Chat.Settings;
using Akka.Configuration;
using Xunit;

namespace ActorNet.Chat.Tests.Settings;

public sealed class ChatSettingsTests
{
    [Fact]
    public void Defaults_come_from_the_reference()
    {
        var s = ChatSettings.Load(Akka.Configuration.Config.Empty, out var errors);
        Assert.Empty(errors);
        Assert.Equal("irc.actornet.local", s.ServerName);
        Assert.Equal("ActorNet", s.NetworkName);
        Assert.Null(s.Password);
        Assert.Empty(s.Opers);
        Assert.Equal(TimeSpan.FromSeconds(90), s.PingInterval);
        Assert.Equal(new FloodSettings(10, 2, 20), s.Flood);
        Assert.Equal(512 * 1024, s.Flood.MaxHeldBytes);
        Assert.Equal(30, s.NickLength);
        Assert.Same(CaseMapping.Rfc1459, s.CaseMapping);
        Assert.Equal(["Welcome to ActorNet IRC."], s.Motd);
    }

    [Fact]
    public void Reads_every_key_under_actornet_chat()
    {
        var root = ConfigurationFactory.ParseString("""
            actornet.chat {
              server-name = irc.test
              network-name = "Test Net"
              server-info = "test server"
              max-list-entries = 5
              max-invites = 6
              max-who-replies = 7
              max-list-replies = 8
              motd = "line one\nline two"
              password = secret
              opers { alice = "pbkdf2-sha256$10000$YWN0b3JuZXQtdGVzdC0wMw==$yQLn4DXPUXG0tPFxVyZS/e18hbqx4E3pID74sIGGzuw=", bob = "plain:pw2" }
              ping-interval = 5s
              ping-timeout = 3s
              registration-timeout = 2s
              flood { burst = 4, per-second = 0.5, max-queued = 3 }
              max-channels-per-user = 7
              nick-length = 12
              channel-length = 20
              topic-length = 100
              away-length = 50
              kick-length = 60
              casemapping = ascii
              oper-throttle { failures = 2, window = 30s, max-clients = 9 }
            }
            """);
        var s = ChatSettings.Load(root, out var errors);
        Assert.Empty(errors);
        Assert.Equal("irc.test", s.ServerName);
        Assert.Equal("Test Net", s.NetworkName);
        Assert.Equal("test server", s.ServerInfo);
        Assert.Equal((5, 6, 7, 8), (s.MaxListEntries, s.MaxInvites, s.MaxWhoReplies, s.MaxListReplies));
        Assert.Equal(["line one", "line two"], s.Motd);
        Assert.Equal("secret", s.Password);
        Assert.True(OperPassword.Matches(s.Opers["alice"], "pw1"));
        Assert.False(OperPassword.Matches(s.Opers["alice"], "pw2"));
        Assert.True(OperPassword.Matches(s.Opers["bob"], "pw2"));
        Assert.Equal(["bob"], s.PlainTextOpers);
        Assert.Equal(TimeSpan.FromSeconds(5), s.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), s.PingTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), s.RegistrationTimeout);
        Assert.Equal(new FloodSettings(4, 0.5, 3), s.Flood);
        Assert.Equal((7, 12, 20, 100, 50, 60), (s.MaxChannelsPerUser, s.NickLength, s.ChannelLength, s.TopicLength, s.AwayLength, s.KickLength));
        Assert.Same(CaseMapping.Ascii, s.CaseMapping);
        Assert.Equal(new ActorNet.Security.ThrottleSettings(2, TimeSpan.FromSeconds(30), 9), s.OperThrottle);
    }

    [Fact]
    public void Reports_every_invalid_key_with_its_path()
    {
        var block = ConfigurationFactory.ParseString("""
            server-name = "bad name"
            ping-interval = banana
            flood { burst = 0, max-held-bytes = 100 }
            nick-length = 1000
            casemapping = klingon
            opers { eve = "" }
            oper-throttle { failures = 0 }
            """);
        var s = ChatSettings.Parse(block, "actornet.listeners.chat.options", out var errors);
        var paths = errors.Select(e => e.Path).ToHashSet();
        Assert.Equal(8, errors.Count);
        Assert.Contains("actornet.listeners.chat.options.flood.max-held-bytes", paths);
        Assert.Contains("actornet.listeners.chat.options.oper-throttle.failures", paths);
        Assert.Contains("actornet.listeners.chat.options.server-name", paths);
        Assert.Contains("actornet.listeners.chat.options.ping-interval", paths);
        Assert.Contains("actornet.listeners.chat.options.flood.burst", paths);
        Assert.Contains("actornet.listeners.chat.options.nick-length", paths);
        Assert.Contains("actornet.listeners.chat.options.casemapping", paths);
        Assert.Contains("actornet.listeners.chat.options.opers.eve", paths);
        Assert.Equal(ChatSettings.Default.ServerName, s.ServerName); // defaults stand in
        Assert.Equal(30, s.NickLength);
    }

    [Fact]
    public void ISupport_matches_the_enforced_limits()
    {
        var s = ChatSettings.Default with { NickLength = 9, ChannelLength = 32, TopicLength = 80 };
        var tokens = ISupport.Tokens(s.ISupport);
        Assert.Contains("NICKLEN=9", tokens);
        Assert.Contains("CHANNELLEN=32", tokens);
        Assert.Contains("TOPICLEN=80", tokens);
        Assert.Contains("CASEMAPPING=rfc1459", tokens);
        Assert.Contains("PREFIX=(ov)@+", tokens);
        Assert.Contains("CHANMODES=beI,k,l,Cimnpst", tokens);
    }

    [Theory]
    [InlineData("change-me")]                 // the password config/node.conf used to ship
    [InlineData("pbkdf2-sha256$10$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")] // too few iterations
    [InlineData("pbkdf2-sha256$100000$!!$!!")]
    [InlineData("plain:")]
    public void A_plain_text_or_broken_operator_password_is_a_config_error(string stored)
    {
        var block = ConfigurationFactory.ParseString($"opers {{ admin = \"{stored}\" }}");
        ChatSettings.Parse(block, "actornet.chat", out var errors);
        var error = Assert.Single(errors);
        Assert.Equal("actornet.chat.opers.admin", error.Path);
    }

    [Fact]
    public void A_hash_from_hash_password_is_accepted_and_checked_in_constant_time()
    {
        var hash = ActorNet.Security.PasswordHash.Create("operpassword", 10_000);
        Assert.StartsWith("pbkdf2-sha256$10000$", hash);
        var s = ChatSettings.Parse(ConfigurationFactory.ParseString($"opers {{ operuser = \"{hash}\" }}"), "actornet.chat", out var errors);
        Assert.Empty(errors);
        Assert.True(OperPassword.Matches(s.Opers["operuser"], "operpassword"));
        Assert.False(OperPassword.Matches(s.Opers["operuser"], "operpassworD"));
        Assert.Empty(s.PlainTextOpers);
        Assert.NotEqual(hash, ActorNet.Security.PasswordHash.Create("operpassword", 10_000)); // salted
    }
}
