using ActorNet.Chat.Settings;
using ActorNet.Supervision;
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
/// A crash of the service keeps its children; a crash of a child hands its state to its successor
/// (<see cref="ChatChild"/>): no user, nick, channel or queued request is lost to a single crash.
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
        // After a restart of the service its children are still there (see PreRestart): the new instance takes them
        // as they are, with their state; the first instance creates them and hands them the tree.
        var restarted = !Context.Child(UsersName).IsNobody();
        IActorRef Child(string name, Func<Props> props) => Context.Child(name) is { } c && !c.IsNobody() ? c : Context.ActorOf(props(), name);
        var link = clustered ? Child(LinkName, () => ClusterLinkActor.Props(settings)) : null;
        var nicks = clustered ? Child(NicksName, () => NicksActor.Props(settings)) : null;
        var channels = Child(ChannelsName, () => ChannelsActor.Props(settings, time));
        var users = Child(UsersName, () => UsersActor.Props(settings, time));
        _tree = new Tree(users, channels, nicks, link);
        if (restarted) log.Warning("chat: service restarted; its children and their state are kept");
        else
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

    /// <summary>The service owns no state but its children, which own all of it: a crash of the service restarts
    /// the service alone (Akka's default would stop every child, i.e. every user, nick and channel).</summary>
    protected override void PreRestart(Exception reason, object message)
    {
    }
}

/// <summary>
/// A child of the chat service: waits for the <see cref="ChatService.Tree"/> (stashing anything else), then runs
/// <see cref="Running"/>.
/// <para>A crash loses nothing: the failing instance hands its state (<see cref="HandOver"/>) to its successor through
/// <see cref="CarryOver"/> (PreRestart → PostRestart, within Akka's recreate step: no message is handled between the
/// two), so whatever was queued at the crash instant is handled by the successor with the state the predecessor had.
/// Children (the channel actors, the registry's manager and proxy) are kept across the restart rather than stopped.
/// What is lost is only the message being handled when a real exception is thrown (Akka drops it; a crash by path
/// fails the actor between messages).</para>
/// </summary>
public abstract class ChatChild : ReceiveActor, IWithUnboundedStash
{
    private sealed record Carried(ChatService.Tree Tree, object? State);

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

    /// <summary>Called once the tree is known (first start), before stashed messages run.</summary>
    protected virtual void OnTree()
    {
    }

    /// <summary>After a restart, with the state restored and the behaviour <see cref="Running"/> (e.g. to re-arm
    /// timers, which do not survive a restart).</summary>
    protected virtual void OnRestored()
    {
    }

    /// <summary>The state to hand to the successor (null: nothing).</summary>
    protected abstract object? HandOver();

    /// <summary>Takes over what <see cref="HandOver"/> handed over.</summary>
    protected abstract void TakeOver(object state);

    /// <summary>Hands the state over and keeps the children (no PostStop: subscriptions made in PreStart stay too).</summary>
    protected override void PreRestart(Exception reason, object message)
    {
        if (Tree is not null) CarryOver.Get(Context.System).Hand(Self, new Carried(Tree, HandOver()));
    }

    /// <summary>PreStart runs again (Akka's default), then the predecessor's state is taken over. A child that crashed
    /// before it knew the tree asks for it again.</summary>
    protected override void PostRestart(Exception reason)
    {
        base.PostRestart(reason);
        if (!CarryOver.Get(Context.System).TryTake<Carried>(Self, out var carried))
        {
            Context.Parent.Tell(ChatService.TreeRequest.Instance);
            return;
        }

        Tree = carried.Tree;
        if (carried.State is not null) TakeOver(carried.State);
        Become(Running);
        OnRestored();
    }
}
