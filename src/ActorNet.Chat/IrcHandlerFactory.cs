using ActorNet.Chat.Server;
using ActorNet.Chat.Session;
using ActorNet.Chat.Settings;
using ActorNet.Config;
using ActorNet.Handlers;
using ActorNet.Transport;
using Akka.Actor;
using Akka.IO;

namespace ActorNet.Chat;

/// <summary>
/// <c>handler = irc</c>: every connection gets an <see cref="IrcSession"/>; all irc listeners share one
/// <see cref="ChatService"/> service called "chat". Settings come from <c>actornet.chat</c> (falling back to the
/// reference config); a listener's <c>options { }</c> may override chat keys for that listener's
/// sessions. The first irc listener's settings configure the shared service.
/// </summary>
public sealed class IrcHandlerFactory : IHandlerFactory
{
    /// <summary>The shared chat service's name (under /user/actornet/services).</summary>
    public const string ServiceName = "chat";

    private readonly TimeProvider _time;
    private readonly DateTimeOffset _created;

    /// <summary>Each listener's settings, parsed once (the node asks for them several times: validate, configure,
    /// services, and once per connection).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Parsed> _parsed = new(StringComparer.Ordinal);

    private sealed record Parsed(ChatSettings Settings, IReadOnlyList<ConfigError> Errors, IrcRuntime Runtime);

    public IrcHandlerFactory() : this(TimeProvider.System)
    {
    }

    /// <summary>With an injected clock (tests).</summary>
    public IrcHandlerFactory(TimeProvider time)
    {
        _time = time;
        _created = time.GetUtcNow();
    }

    public IEnumerable<ServiceDefinition> Services(ListenerSettings listener)
    {
        var parsed = For(listener);
        return [new ServiceDefinition(ServiceName, ChatService.Props(parsed.Settings, _time, parsed.Errors))];
    }

    public Props CreateHandler(HandlerContext context)
    {
        var runtime = For(context.Listener).Runtime;
        return ActorProducer.Props(() => new IrcSession(context, runtime)); // per connection: no expression tree, no reflection
    }

    public ByteString? ErrorFrame(DisconnectReason reason, string message) => ErrorLine(reason, message);

    /// <summary>Sessions take a read's lines as one message (<see cref="IrcSession"/> is <see cref="IAcceptsFrameBatches"/>).</summary>
    public bool AcceptsFrameBatches => true;

    /// <summary>actornet.chat's sendq-bytes and max-connections-per-ip, when set, become the listener's limits.</summary>
    public ListenerSettings Configure(ListenerSettings listener)
    {
        var chat = For(listener).Settings;
        return listener with
        {
            WriteQueueLimitBytes = chat.SendqBytes > 0 ? Math.Max(chat.SendqBytes, listener.MaxFrameBytes) : listener.WriteQueueLimitBytes,
            MaxConnectionsPerIp = chat.MaxConnectionsPerIp > 0 ? chat.MaxConnectionsPerIp : listener.MaxConnectionsPerIp,
        };
    }

    public IEnumerable<ConfigError> Validate(ListenerSettings listener) => For(listener).Errors;

    /// <summary>The IRC ERROR line a connection sends when it closes a client itself.</summary>
    public static ByteString ErrorLine(DisconnectReason reason, string message)
    {
        var text = reason switch
        {
            DisconnectReason.SlowConsumer => "SendQ exceeded",
            DisconnectReason.Flood => "Excess Flood",
            DisconnectReason.FrameTooLong => "Closing link: (Input line too long)",
            DisconnectReason.Killed => "Closing link: Killed (" + (message.StartsWith("killed: ", StringComparison.Ordinal) ? message[8..] : message) + ")",
            _ => "Closing link: (" + message + ")",
        };
        return Outgoing.Encode(Protocol.IrcMessage.Create("ERROR", text));
    }

    /// <summary>The listener's settings: parsed the first time, then the same instance (and runtime) every time.
    /// Keyed by the listener's HOCON path; a listener whose options changed (a config reload builds a new factory)
    /// is never looked up here.</summary>
    private Parsed For(ListenerSettings listener) =>
        _parsed.GetOrAdd(listener.Path, _ =>
        {
            var settings = Parse(listener, out var errors);
            return new Parsed(settings, errors, new IrcRuntime(settings, _time, _created));
        });

    /// <summary>actornet.chat, with the listener's options { } on top; errors name the block each came from.</summary>
    private static ChatSettings Parse(ListenerSettings listener, out IReadOnlyList<ConfigError> errors)
    {
        var root = listener.NodeConfig.HasPath("actornet.chat") ? listener.NodeConfig.GetConfig("actornet.chat") : Akka.Configuration.Config.Empty;
        if (listener.Options.IsEmpty) return ChatSettings.Parse(root, "actornet.chat", out errors);
        ChatSettings.Parse(root, "actornet.chat", out var rootErrors); // errors in the shared block name that block
        ChatSettings.Parse(listener.Options, listener.Path + ".options", out var optionErrors);
        errors = [.. rootErrors, .. optionErrors];
        return ChatSettings.Parse(listener.Options.WithFallback(root), listener.Path + ".options", out _);
    }
}
