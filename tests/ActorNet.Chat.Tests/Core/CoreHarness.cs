using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Chat.Settings;

namespace ActorNet.Chat.Tests.Core;

/// <summary>Drives the pure command core line by line and shows replies as wire lines.</summary>
internal sealed class CoreHarness(ChatSettings? settings = null)
{
    public static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public ChatView View { get; } = new(settings ?? ChatSettings.Default with { ServerName = "irc.test", Motd = ["hello"] }, Now, Now.AddDays(-1));

    public SessionState State { get; set; } = SessionState.Connected("127.0.0.1");

    public List<Effect> Effects { get; } = new();

    /// <summary>Runs one line; returns only this line's effects.</summary>
    public IReadOnlyList<Effect> Run(string line)
    {
        var r = IrcParser.TryParse(line, out var msg, out var error)
            ? CommandCore.Handle(State, View, msg)
            : CommandCore.HandleInvalid(State, View, error);
        return Take(r);
    }

    public IReadOnlyList<Effect> Apply(ChatEvent e) => Take(CommandCore.Apply(State, View, e));

    private IReadOnlyList<Effect> Take(CoreResult r)
    {
        State = r.State;
        Effects.AddRange(r.Effects);
        return r.Effects;
    }

    public static List<string> Lines(IEnumerable<Effect> effects) =>
        effects.OfType<Reply>().Select(r => IrcFormatter.ToLine(r.Message)).ToList();

    public static List<ChatRequest> Requests(IEnumerable<Effect> effects) =>
        effects.OfType<Request>().Select(r => r.Body).ToList();

    /// <summary>Registers as <paramref name="nick"/> (the service accepts).</summary>
    public CoreHarness Registered(string nick = "alice")
    {
        Run("NICK " + nick);
        Run("USER a 0 * :Alice A");
        Apply(new RegisteredEvent(new LusersCounts(1, 0, 0, 0, 0, 1), Now));
        return this;
    }
}
