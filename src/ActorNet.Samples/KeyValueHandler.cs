using ActorNet.Config;
using ActorNet.Handlers;
using Akka.Actor;

namespace ActorNet.Samples;

/// <summary>
/// A custom handler as users write one: a tiny line-based key-value store shared by every client of the listener.
/// Configure it with <c>handler = "ActorNet.Samples.KeyValueHandlerFactory, ActorNet.Samples"</c>.
/// The factory declares the shared store (a service actor); each connection gets a <see cref="KeyValueHandler"/>.
/// </summary>
public sealed class KeyValueHandlerFactory : IHandlerFactory
{
    public static string StoreName(string listener) => "kv-" + listener;

    public IEnumerable<ServiceDefinition> Services(ListenerSettings listener)
    {
        var maxKeys = listener.Options.GetInt("max-keys", 10_000);
        return [new ServiceDefinition(StoreName(listener.Name), Props.Create(() => new KeyValueStore(maxKeys)))];
    }

    public Props CreateHandler(HandlerContext context) => Props.Create(() => new KeyValueHandler(context));
}

/// <summary>The protocol side of one connection: parses each line and asks the shared store.</summary>
public sealed class KeyValueHandler : ConnectionHandler
{
    public KeyValueHandler(HandlerContext context) : base(context)
    {
        var store = context.Service(KeyValueHandlerFactory.StoreName(context.Listener.Name));

        // A line from the client: answer errors at once, send valid commands to the store.
        Receive<FrameReceived>(frame =>
        {
            switch (KeyValueCommand.Parse(frame.Text))
            {
                case KeyValueCommand.Invalid invalid:
                    Send("ERROR " + invalid.Error);
                    break;
                case var command:
                    store.Tell(command);
                    break;
            }
        });

        // The store's answer: one line back to the client.
        Receive<KeyValueStore.Reply>(reply => Send(reply.Line));
    }

    protected override void PreStart() => Send("READY kv " + Handler.Listener.Name);
}

/// <summary>The shared state: one actor per listener, so every command is applied in one order.</summary>
public sealed class KeyValueStore : ReceiveActor
{
    /// <summary>The line to send to the client that asked.</summary>
    public sealed record Reply(string Line);

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public KeyValueStore(int maxKeys)
    {
        Receive<KeyValueCommand.Set>(set =>
        {
            if (!_values.ContainsKey(set.Key) && _values.Count >= maxKeys)
            {
                Sender.Tell(new Reply($"ERROR store full ({maxKeys} keys)"));
                return;
            }

            _values[set.Key] = set.Value;
            Sender.Tell(new Reply("OK"));
        });
        Receive<KeyValueCommand.Get>(get =>
            Sender.Tell(new Reply(_values.TryGetValue(get.Key, out var value) ? "VALUE " + value : "NOT_FOUND")));
        Receive<KeyValueCommand.Delete>(del => Sender.Tell(new Reply(_values.Remove(del.Key) ? "DELETED" : "NOT_FOUND")));
        Receive<KeyValueCommand.Keys>(_ => Sender.Tell(new Reply("KEYS " + string.Join(' ', _values.Keys.Order(StringComparer.Ordinal)))));
    }
}
