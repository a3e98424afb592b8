using ActorNet.Chat.Settings;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// The chat service (<c>/user/actornet/services/chat</c>): a supervisor that owns no chat state itself. Its children,
/// named for what they own (files in <c>Server/Chat/</c>):
/// <list type="bullet">
/// <item><c>users</c> (<see cref="UsersActor"/>): the directory of users and this node's nicks, WHOWAS, the queries
/// that span users, private messages; the directory of remote users in cluster mode.</item>
/// <item><c>channels</c> (<see cref="ChannelsActor"/>): the channel actors (its children) and their summaries.</item>
/// <item><c>nicks</c> (<see cref="NicksActor"/>, cluster mode): claims in the cluster-wide nick registry (its
/// singleton manager and proxy are its children).</item>
/// <item><c>cluster-link</c> (<see cref="ClusterLinkActor"/>, cluster mode): replication to the other members.</item>
/// </list>
/// Sessions address the service; it forwards what they send to <c>users</c>, whose replies tell a session the
/// ref to use from then on (no extra hop once registered). Children find each other through the
/// <see cref="Tree"/> the service hands them.
/// </summary>
public sealed class ChatService : ReceiveActor
{
    /// <summary>The service's children, handed to each child when it starts (and again when it restarts).</summary>
    public sealed record Tree(IActorRef Users, IActorRef Channels, IActorRef? Nicks, IActorRef? Link)
    {
        public bool Clustered => Link is not null;
    }

    /// <summary>A (re)started child asks for the <see cref="Tree"/>.</summary>
    public sealed record TreeRequest
    {
        public static readonly TreeRequest Instance = new();
    }

    public const string UsersName = "users";
    public const string ChannelsName = "channels";
    public const string NicksName = "nicks";
    public const string LinkName = "cluster-link";

    private readonly Tree _tree;

    public ChatService(ChatSettings settings, TimeProvider time, IReadOnlyList<ActorNet.Config.ConfigError>? configErrors = null)
    {
        var log = Context.GetLogger();
        foreach (var error in configErrors ?? [])
            log.Error("chat settings: {Path}: {Reason} (the default is used)", error.Path, error.Reason);
        var clustered = ((ExtendedActorSystem)Context.System).Provider is ClusterActorRefProvider;
        var link = clustered ? Context.ActorOf(ClusterLinkActor.Props(settings), LinkName) : null;
        var nicks = clustered ? Context.ActorOf(NicksActor.Props(settings), NicksName) : null;
        var channels = Context.ActorOf(ChannelsActor.Props(settings, time), ChannelsName);
        var users = Context.ActorOf(UsersActor.Props(settings, time), UsersName);
        _tree = new Tree(users, channels, nicks, link);
        foreach (var child in new[] { users, channels, nicks, link }.OfType<IActorRef>()) child.Tell(_tree);
        Receive<TreeRequest>(_ => Sender.Tell(_tree));
        ReceiveAny(m => _tree.Users.Forward(m));
    }

    public static Props Props(ChatSettings settings, TimeProvider time, IReadOnlyList<ActorNet.Config.ConfigError>? configErrors = null) =>
        Akka.Actor.Props.Create(() => new ChatService(settings, time, configErrors));

    /// <summary>
    /// One child's crash restarts that child only (one-for-one): the others keep their state and the restarted one
    /// asks for the <see cref="Tree"/> again. Failing to start stops the child (Akka's default decider).
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Akka.Actor.SupervisorStrategy.DefaultDecider);
}

/// <summary>
/// A child of the chat service: waits for the <see cref="ChatService.Tree"/> (stashing anything else), then runs
/// <see cref="Running"/>. After a restart it asks its parent for the tree again.
/// </summary>
public abstract class ChatChild : ReceiveActor, IWithUnboundedStash
{
    protected ChatChild()
    {
        Receive<ChatService.Tree>(t =>
        {
            Tree = t;
            Become(Running);
            OnTree();
            Stash.UnstashAll();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    protected ChatService.Tree Tree { get; private set; } = null!;

    /// <summary>The behaviour once the tree is known.</summary>
    protected abstract void Running();

    /// <summary>Called once the tree is known, before stashed messages run.</summary>
    protected virtual void OnTree()
    {
    }

    protected override void PostRestart(Exception reason)
    {
        Context.Parent.Tell(ChatService.TreeRequest.Instance);
        base.PostRestart(reason);
    }
}
