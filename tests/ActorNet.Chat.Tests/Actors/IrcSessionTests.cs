using ActorNet.Chat.Session;
using ActorNet.Chat.Settings;
using ActorNet.Handlers;
using ActorNet.Transport;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;
using static ActorNet.Chat.Tests.Actors.SessionHarness;

namespace ActorNet.Chat.Tests.Actors;

public sealed class IrcSessionTests : TestKit
{
    [Fact]
    public void Registers_through_the_chat_server_and_answers_in_command_order()
    {
        var h = new SessionHarness(this);
        var (s, c) = h.Start();
        Send(s, "NICK alice");
        Send(s, "USER a 0 * :Alice");
        Send(s, "PING after");
        var lines = Until(c, "PONG");
        Assert.StartsWith(":irc.test 001 alice ", lines[0]);
        Assert.Equal(":irc.test 422 alice :MOTD File is missing", lines[^2]); // the welcome is complete before the PONG
        Assert.Equal(":irc.test PONG irc.test after", lines[^1]);
    }

    [Fact]
    public void A_line_that_is_not_utf8_gets_fail_invalid_utf8_and_is_not_run()
    {
        var h = new SessionHarness(this);
        var (s, c) = h.Start();
        s.Tell(new ConnectionHandler.FrameReceived(Akka.IO.ByteString.FromBytes([.. "PING hi"u8, 0xAA])));
        Send(s, "PING after");
        Assert.Equal(":irc.test FAIL PING INVALID_UTF8 :Message rejected, your IRC software MUST use UTF-8 encoding on this network", Next(c));
        Assert.Equal(":irc.test PONG irc.test after", Next(c));
    }

    [Fact]
    public void Flood_delays_lines_over_the_bucket_and_pauses_input_instead_of_cutting()
    {
        var h = new SessionHarness(this, ChatSettings.Default with { ServerName = "irc.test", Flood = new FloodSettings(2, 1, 3) });
        var (s, c) = h.Start();
        for (var i = 1; i <= 8; i++) Send(s, "PING " + i); // 2 run, 3 held pause the input, 3 more were already read
        Assert.EndsWith("PONG irc.test 1", Next(c));
        Assert.EndsWith("PONG irc.test 2", Next(c));
        c.ExpectMsg<Connection.PauseInput>();
        c.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // PING 3 waits for a token; no ERROR

        for (var i = 3; i <= 8; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            s.Tell(IrcSession.FloodTick.Instance);
            Assert.EndsWith("PONG irc.test " + i, Next(c));
        }

        // resumed once half of the pause mark (1 line) was left, and never cut
        Assert.Equal([Connection.ResumeInput.Instance], FlowRequests(c));
        c.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Held_input_over_max_held_bytes_is_cut_with_excess_flood()
    {
        var h = new SessionHarness(this, ChatSettings.Default with { ServerName = "irc.test", Flood = new FloodSettings(2, 1, 3) { MaxHeldBytes = 1024 } });
        var (s, c) = h.Start();
        Send(s, "PING 1");
        Send(s, "PING 2");
        Assert.EndsWith("PONG irc.test 2", Until(c, "PONG irc.test 2")[^1]);
        var pad = new string('x', 300);
        for (var i = 0; i < 4; i++) Send(s, "PING " + pad); // the 4th passes 1024 held bytes: input read although paused
        Assert.Equal("ERROR :Excess Flood", Next(c));
        c.FishForMessage(m => m is Connection.Close { Reason: DisconnectReason.Flood });
    }

    [Fact]
    public void A_half_close_runs_the_held_lines_then_quits()
    {
        var h = new SessionHarness(this, ChatSettings.Default with { ServerName = "irc.test", Motd = [], Flood = new FloodSettings(5, 1, 20) });
        var (s, c) = h.Start();
        Send(s, "NICK alice");
        Send(s, "USER a 0 * :Alice");
        Until(c, " 422 alice ");
        for (var i = 1; i <= 4; i++) Send(s, "PING " + i); // 3 run at once, the 4th waits for a token
        s.Tell(ConnectionHandler.PeerHalfClosed.Instance);
        Assert.EndsWith("PONG irc.test 3", Until(c, "PONG irc.test 3")[^1]);
        c.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // not closed while a line is held
        h.Time.Advance(TimeSpan.FromSeconds(1));
        s.Tell(IrcSession.FloodTick.Instance);
        Assert.EndsWith("PONG irc.test 4", Next(c));
        Assert.StartsWith("ERROR :Closing link: 127.0.0.1 (Client closed connection)", Next(c));
        Assert.Equal(DisconnectReason.ClientClosed, c.ExpectMsg<Connection.Close>().Reason);
    }

    [Fact]
    public void A_restarted_session_recovers_nick_registration_and_channels()
    {
        var h = new SessionHarness(this);
        var (s, c) = h.Registered("alice");
        Send(s, "JOIN #keep");
        Until(c, " 366 alice #keep ");
        EventFilter.Exception<NullReferenceException>().ExpectOne(() =>
            s.Tell(new ConnectionHandler.FrameReceived(null!))); // a crash inside the session
        Send(s, "JOIN #keep");
        Send(s, "AWAY :still here");
        Assert.Equal(":irc.test 306 alice :You have been marked as being away", Next(c)); // registered as alice, no re-JOIN
    }

    [Fact]
    public void Lusers_counts_follow_registrations_modes_opers_and_quits()
    {
        var h = new SessionHarness(this);
        var (a, ca) = h.Registered("alice");
        var (b, cb) = h.Registered("bob");
        var (_, _) = h.Start(); // connected, not registered: "unknown"
        Send(b, "MODE bob +i");
        Until(cb, "MODE bob");
        Send(a, "LUSERS");
        var lines = Until(ca, " 255 alice ");
        Assert.Contains(":irc.test 251 alice :There are 1 users and 1 invisible on 1 servers", lines);
        Send(b, "QUIT :bye");
        Assert.StartsWith("ERROR", Next(cb));
        AwaitAssert(() =>
        {
            Send(a, "LUSERS");
            Assert.Contains(":irc.test 251 alice :There are 1 users and 0 invisible on 1 servers", Until(ca, " 255 alice "));
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Registration_times_out_with_a_clear_error()
    {
        var h = new SessionHarness(this, ChatSettings.Default with { ServerName = "irc.test", RegistrationTimeout = TimeSpan.FromMilliseconds(200) });
        var (_, c) = h.Start();
        Assert.Equal("ERROR :Closing link: 127.0.0.1 (Registration timed out)", Next(c));
        c.ExpectMsg<Connection.Close>();
    }

    [Fact]
    public void Pings_an_idle_client_and_closes_it_when_no_answer_comes()
    {
        var h = new SessionHarness(this, ChatSettings.Default with
        {
            ServerName = "irc.test", Motd = [], PingInterval = TimeSpan.FromMilliseconds(400), PingTimeout = TimeSpan.FromMilliseconds(400),
        });
        var (_, c) = h.Registered("idle");
        c.ExpectNoMsg(TimeSpan.FromMilliseconds(500)); // the fake clock has not moved: not idle
        h.Time.Advance(TimeSpan.FromMilliseconds(450));
        Assert.Equal("PING irc.test", Next(c));
        h.Time.Advance(TimeSpan.FromMilliseconds(450));
        Assert.StartsWith("ERROR :Closing link: 127.0.0.1 (Ping timeout", Next(c));
        Assert.Equal(DisconnectReason.IdleTimeout, c.ExpectMsg<Connection.Close>().Reason);
    }

    [Fact]
    public void Quit_sends_error_and_closes_and_frees_the_nick()
    {
        var h = new SessionHarness(this);
        var (s, c) = h.Registered("alice");
        Send(s, "QUIT :done here");
        Assert.Equal("ERROR :Closing link: 127.0.0.1 (Quit: done here)", Next(c));
        Assert.Equal(DisconnectReason.HandlerClosed, c.ExpectMsg<Connection.Close>().Reason);
        var (_, c2) = h.Registered("alice"); // the nick is free again
        c2.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void The_factory_error_frames_speak_irc()
    {
        string Line(DisconnectReason r, string m) => System.Text.Encoding.UTF8.GetString(IrcHandlerFactory.ErrorLine(r, m).ToArray());
        Assert.Equal("ERROR :SendQ exceeded", Line(DisconnectReason.SlowConsumer, "slow consumer: write queue limit exceeded"));
        Assert.Equal("ERROR :Closing link: Killed (root (bye now))", Line(DisconnectReason.Killed, "killed: root (bye now)"));
        Assert.Equal("ERROR :Closing link: (server shutting down)", Line(DisconnectReason.Shutdown, "server shutting down"));
    }
}
