using System.Collections.Immutable;
using ActorNet.Chat.Core;
using ActorNet.Chat.Protocol;
using ActorNet.Transport;
using Akka.IO;

namespace ActorNet.Chat.Server;

/// <summary>
/// One message to many clients, encoded at most once per capability variant (plain; with the server-time tag; with
/// the sender's client tags and the msgid; both) and wrapped once in a <see cref="Connection.Send"/> that every recipient's
/// connection actor is told. Not thread-safe: used inside one actor at a time (it is passed along, never shared concurrently).
/// </summary>
public sealed class Outgoing
{
    private readonly IReadOnlyList<KeyValuePair<string, string?>>? _clientTags;
    private readonly bool _assignMsgId;
    private readonly ByteString? _body;
    private string? _msgId;

    private readonly Connection.Send?[] _variants = new Connection.Send?[4];

    public Outgoing(IrcMessage message, DateTimeOffset time, IReadOnlyList<KeyValuePair<string, string?>>? clientTags = null,
        string? msgId = null, bool assignMsgId = false)
    {
        Message = message;
        Time = time;
        _clientTags = clientTags;
        _msgId = msgId;
        _assignMsgId = assignMsgId;
    }

    private Outgoing(ByteString body, DateTimeOffset time, string? msgId)
    {
        _body = body;
        Time = time;
        _msgId = msgId;
    }

    /// <summary>A line formatted on another node (<see cref="Cluster.WireLine"/>): <paramref name="body"/> is its plain
    /// form (no tags, no CRLF); the variants with tags put the tags in front of it, never re-format it.</summary>
    public static Outgoing FromWire(ByteString body, DateTimeOffset time, string? msgId) => new(body, time, msgId);

    /// <summary>The message (null for a line from another node: only its bytes are known).</summary>
    public IrcMessage? Message { get; }

    public DateTimeOffset Time { get; }

    /// <summary>The IRCv3 msgid, one per message (the same for every recipient, the sender's echo and other nodes);
    /// null: none. With <c>assignMsgId</c> it is drawn on first use, so a message no message-tags client gets (and
    /// that leaves no node) costs no random draw.</summary>
    public string? MsgId => _msgId ??= _assignMsgId ? IrcTags.NewMsgId() : null;

    private bool HasMsgId => _assignMsgId || _msgId is not null;

    /// <summary>The plain encoding (no tags, no CRLF): what clients without server-time and message-tags get, and
    /// what crosses to other nodes.</summary>
    public ByteString Plain => For(serverTime: false, messageTags: false).Payload;

    /// <summary>The client tags of a message, plus IRCv3 bot-mode's valueless <c>bot</c> tag when its sender is a bot.</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> WithBotTag(IReadOnlyList<KeyValuePair<string, string?>> tags, bool bot) =>
        bot ? [.. tags, new KeyValuePair<string, string?>("bot", null)] : tags;

    /// <summary>The message for a client with these capabilities.</summary>
    public Connection.Send For(ImmutableHashSet<string> caps) =>
        For(caps.Contains(CapCommands.ServerTime), caps.Contains(CapCommands.MessageTags));

    /// <summary>The message for a client with (or without) the server-time and message-tags capabilities.</summary>
    public Connection.Send For(bool serverTime, bool messageTags)
    {
        var withTags = messageTags && (HasMsgId || _clientTags is { Count: > 0 });
        var index = (serverTime ? 1 : 0) | (withTags ? 2 : 0);
        return _variants[index] ??= new Connection.Send(Encode(serverTime, withTags));
    }

    private ByteString Encode(bool withTime, bool withTags)
    {
        if (_body is { } body) return WithTagsInFront(body, withTime, withTags);
        var m = Message!;
        if (withTags)
        {
            if (_clientTags is not null)
                foreach (var tag in _clientTags) m = m.WithTag(tag.Key, tag.Value);
            if (MsgId is not null) m = m.WithTag(IrcTags.MsgIdKey, MsgId);
        }

        if (withTime) m = m.WithTag(IrcTags.TimeKey, IrcTags.FormatTime(Time));
        return Encode(m);
    }

    /// <summary>"@msgid=..;time=.. " + body: the tags in the order <see cref="Encode(bool, bool)"/> writes them.</summary>
    private ByteString WithTagsInFront(ByteString body, bool withTime, bool withTags)
    {
        var tags = new List<string>(2);
        if (withTags && MsgId is not null) tags.Add(IrcTags.MsgIdKey + "=" + IrcTags.Escape(MsgId));
        if (withTime) tags.Add(IrcTags.TimeKey + "=" + IrcTags.FormatTime(Time));
        if (tags.Count == 0) return body;
        return ByteString.FromString("@" + string.Join(';', tags) + " ", System.Text.Encoding.UTF8).Concat(body);
    }

    /// <summary>Wire bytes of one message without the CRLF (the connection adds the line ending).</summary>
    public static ByteString Encode(IrcMessage message)
    {
        var bytes = IrcFormatter.ToBytes(message);
        return ByteString.FromBytes(bytes, 0, bytes.Length - 2);
    }
}
