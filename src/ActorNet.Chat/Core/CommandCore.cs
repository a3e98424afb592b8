using System.Collections.Frozen;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Settings;
using ActorNet.Transport;

namespace ActorNet.Chat.Core;

/// <summary>What the command core may read about the server: its settings and the clock (injected, so tests are exact).</summary>
public sealed record ChatView(ChatSettings Settings, DateTimeOffset Now, DateTimeOffset Created)
{
    public const string Version = "actornet-0.1";

    public string Server => Settings.ServerName;

    public CaseMapping CaseMapping => Settings.CaseMapping;

    public string ChanTypes => Settings.ISupport.ChanTypes;
}

/// <summary>A command handler: a pure function of state, view and message.</summary>
public delegate CoreResult CommandHandler(SessionState state, ChatView view, IrcMessage message);

/// <summary>One row of the command table.</summary>
/// <param name="Name">the command word</param>
/// <param name="MinParams">fewer parameters answer 461</param>
/// <param name="BeforeRegistration">allowed before registration (otherwise 451)</param>
/// <param name="Handler">the handler, called only when the preconditions hold</param>
public sealed record CommandSpec(string Name, int MinParams, bool BeforeRegistration, CommandHandler Handler);

/// <summary>
/// The IRC command core: <c>(state, view, message) → (state, effects)</c>, table-driven. Preconditions (451 before
/// registration, 461 not enough parameters, 421 unknown command) are checked here, once, for every command.
/// </summary>
public static class CommandCore
{
    /// <summary>Every command the server knows.</summary>
    public static FrozenDictionary<string, CommandSpec> Table { get; } = new CommandSpec[]
    {
        new("PASS", 1, true, RegistrationCommands.Pass),
        new("NICK", 0, true, RegistrationCommands.Nick),
        new("USER", 4, true, RegistrationCommands.User),
        new("CAP", 1, true, CapCommands.Cap),
        new("PING", 1, true, ServerCommands.Ping),
        new("PONG", 0, true, ServerCommands.Pong),
        new("QUIT", 0, true, ServerCommands.Quit),
        new("MOTD", 0, false, ServerCommands.Motd),
        new("VERSION", 0, false, ServerCommands.VersionCommand),
        new("TIME", 0, false, ServerCommands.Time),
        new("INFO", 0, false, ServerCommands.Info),
        new("HELP", 0, false, ServerCommands.Help),
        new("HELPOP", 0, false, ServerCommands.Help), // the older name many clients and servers still use
        new("LINKS", 0, false, ServerCommands.Links),
        new("LUSERS", 0, false, ServerCommands.Lusers),
        new("AWAY", 0, false, UserCommands.Away),
        new("OPER", 2, false, UserCommands.Oper),
        new("MODE", 1, false, UserCommands.Mode),
        new("USERHOST", 1, false, UserCommands.Userhost),
        new("ISON", 1, false, UserCommands.Ison),
        new("WHO", 0, false, UserCommands.Who),
        new("WHOIS", 1, false, UserCommands.Whois),
        new("WHOWAS", 1, false, UserCommands.Whowas),
        new("KILL", 2, false, UserCommands.Kill),
        new("REHASH", 0, false, UserCommands.Rehash),
        new("WALLOPS", 1, false, UserCommands.WallopsCommand),
        new("MONITOR", 1, false, MonitorCommands.Monitor),
        new("SETNAME", 1, false, MonitorCommands.Setname),
        new("JOIN", 1, false, ChannelCommands.Join),
        new("PART", 1, false, ChannelCommands.Part),
        new("PRIVMSG", 0, false, ChannelCommands.Privmsg),
        new("NOTICE", 0, false, ChannelCommands.Notice),
        new("TAGMSG", 1, false, ChannelCommands.Tagmsg),
        new("TOPIC", 1, false, ChannelCommands.Topic),
        new("KICK", 2, false, ChannelCommands.Kick),
        new("INVITE", 0, false, ChannelCommands.Invite),
        new("NAMES", 0, false, ChannelCommands.Names),
        new("LIST", 0, false, ChannelCommands.List),
    }.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Runs one parsed command.</summary>
    public static CoreResult Handle(SessionState state, ChatView view, IrcMessage message)
    {
        var o = new Out(state, view);
        if (!Table.TryGetValue(message.Command, out var spec))
            return state.Registered
                ? o.Num(Numerics.ERR_UNKNOWNCOMMAND, message.Command, "Unknown command").Result
                : o.Num(Numerics.ERR_NOTREGISTERED, "You have not registered").Result;
        if (!state.Registered && !spec.BeforeRegistration)
            return o.Num(Numerics.ERR_NOTREGISTERED, "You have not registered").Result;
        if (message.ParamCount < spec.MinParams)
            return o.Num(Numerics.ERR_NEEDMOREPARAMS, spec.Name, "Not enough parameters").Result;
        var result = spec.Handler(state, view, message);
        // idle time (WHOIS 317): what counts as activity is talking
        if (spec.Name is "PRIVMSG" or "NOTICE" && result.State.Registered && view.Now - result.State.LastActive >= SessionState.IdleResolution)
            result = result with { State = result.State with { LastActive = view.Now } };
        return result;
    }

    /// <summary>Answers a line the parser rejected: 417 when too long, 421 for a bad command word, nothing when blank.</summary>
    public static CoreResult HandleInvalid(SessionState state, ChatView view, IrcParseError error)
    {
        var o = new Out(state, view);
        return error switch
        {
            IrcParseError.InputTooLong or IrcParseError.TagsTooLong => o.Num(Numerics.ERR_INPUTTOOLONG, "Input line was too long").Result,
            IrcParseError.InvalidCommand => o.Num(Numerics.ERR_UNKNOWNCOMMAND, "*", "Unknown command").Result,
            _ => o.Result,
        };
    }

    /// <summary>A line that is not valid UTF-8 (IRCv3 utf8-only, ISUPPORT UTF8ONLY): refused with
    /// <c>FAIL &lt;command&gt; INVALID_UTF8</c> and not run, so nothing non-UTF-8 reaches other clients.</summary>
    public static CoreResult InvalidUtf8(SessionState state, ChatView view, string? command) =>
        new Out(state, view).Send(new IrcMessage(view.Server, "FAIL",
            [string.IsNullOrEmpty(command) ? "*" : command, "INVALID_UTF8", "Message rejected, your IRC software MUST use UTF-8 encoding on this network"])).Result;

    /// <summary>Applies what the chat service answered to a request.</summary>
    public static CoreResult Apply(SessionState state, ChatView view, ChatEvent chatEvent)
    {
        var o = new Out(state, view);
        switch (chatEvent)
        {
            case RepliesEvent r:
                foreach (var m in r.Messages) o.Send(m);
                break;
            case RegisteredEvent r:
                o.State = state with { Registered = true, RegistrationPending = false, SignedOn = r.At, LastActive = r.At };
                RegistrationCommands.Welcome(o, r.Counts);
                break;
            case NickInUseEvent n:
                if (!state.Registered) o.State = state with { Nick = null, RegistrationPending = false };
                if (n.Unavailable) o.Num(Numerics.ERR_UNAVAILRESOURCE, n.Nick, "Nick/channel is temporarily unavailable");
                else o.Num(Numerics.ERR_NICKNAMEINUSE, n.Nick, "Nickname is already in use");
                break;
            case NickChangedEvent n:
                o.State = state with { Nick = n.NewNick };
                break;
            case JoinedEvent j:
                o.State = state with { Channels = state.Channels.Add(j.Channel), Invites = state.Invites.RemoveAll(c => view.CaseMapping.Equals(c, j.Channel)) };
                break;
            case InvitedEvent i when !state.Invites.Contains(i.Name, view.CaseMapping):
                // newest last; bounded like a channel's pending invitations (the oldest is forgotten)
                var invites = state.Invites.Add(i.Name);
                o.State = state with { Invites = invites.Count > view.Settings.MaxInvites ? invites.RemoveAt(0) : invites };
                break;
            case LeftEvent l:
                o.State = state with { Channels = state.Channels.Remove(l.Channel) };
                break;
            case LusersEvent l:
                foreach (var m in Replies.Lusers(view.Server, state.NickOrStar, l.Counts)) o.Send(m);
                break;
        }

        return o.Result;
    }

    /// <summary>The registration timeout passed.</summary>
    /// <summary>The client half-closed (its FIN came after every line it sent, and all of them have run): a QUIT, so
    /// its channels see it leave with the same reason as a lost connection, then ERROR and the close once the replies are written.</summary>
    public static CoreResult PeerHalfClosed(SessionState state, ChatView view) => ServerCommands.QuitWith(state, view, "Connection closed", DisconnectReason.ClientClosed);

    public static CoreResult RegistrationTimedOut(SessionState state, ChatView view) =>
        new Out(state, view).Close(DisconnectReason.HandlerClosed, "Closing link: " + state.Host + " (Registration timed out)").Result;
}

/// <summary>Collects the new state and the effects of one command.</summary>
internal sealed class Out(SessionState state, ChatView view)
{
    private readonly List<Effect> _effects = new();

    public SessionState State { get; set; } = state;

    public ChatView View { get; } = view;

    public string Server => View.Server;

    public CoreResult Result => new(State, _effects);

    /// <summary>A numeric to the client, targeted at its nick (or "*").</summary>
    public Out Num(string code, params string[] parameters)
    {
        _effects.Add(new Reply(Replies.Numeric(Server, code, State.NickOrStar, parameters)));
        return this;
    }

    public Out Send(IrcMessage message)
    {
        _effects.Add(new Reply(message));
        return this;
    }

    public Out Ask(ChatRequest request)
    {
        _effects.Add(new Request(request));
        return this;
    }

    public Out Tell(ChatRequest request)
    {
        _effects.Add(new Notify(request));
        return this;
    }

    public Out Effect(Effect effect)
    {
        _effects.Add(effect);
        return this;
    }

    public Out Close(DisconnectReason reason, string text)
    {
        _effects.Add(new CloseLink(reason, text));
        return this;
    }
}
