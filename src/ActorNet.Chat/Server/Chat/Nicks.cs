using ActorNet.Chat.Cluster;
using ActorNet.Chat.Settings;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Event;

namespace ActorNet.Chat.Server;

/// <summary>
/// <c>chat/nicks</c> (cluster mode): the claims this node has open in the cluster-wide <see cref="NickRegistry"/>.
/// Its children are the registry's singleton manager (<c>registry</c>: the one instance lives under one member's
/// manager) and the proxy every claim goes through (<c>registry-proxy</c>). A claim is answered to <c>users</c>
/// with <see cref="UsersActor.ClaimDecided"/>, or as unavailable after <c>actornet.chat.claim-timeout</c> (e.g.
/// during a singleton hand-over); a grant that comes for a claim given up is handed back as
/// <see cref="UsersActor.LateGrant"/> (users releases it unless the nick is the claimant's after all).
/// </summary>
public sealed class NicksActor : ChatChild, IWithTimers
{
    /// <summary>users → nicks: claim <paramref name="Nick"/> for <paramref name="Origin"/>'s session (and release
    /// <paramref name="Release"/> on success: a nick change).</summary>
    public sealed record Claim(FromSession Origin, string Nick, string? Release, Address Node, string Claimant);

    /// <summary>users → nicks: the claimant no longer holds the nick.</summary>
    public sealed record Release(string Nick, string Claimant);

    /// <summary>users → nicks: the session went away; its open claims are given up.</summary>
    public sealed record SessionGone(IActorRef Session);

    private sealed record ClaimTimedOut(long Id);

    private sealed record RetryClaims
    {
        public static readonly RetryClaims Instance = new();
    }

    private sealed class PendingClaim(FromSession origin, NickClaim claim)
    {
        public FromSession Origin { get; } = origin;
        public NickClaim Claim { get; } = claim;
        public string Nick => Claim.Nick;
        public bool Dead { get; set; }
    }

    public const string RegistryName = "registry";
    public const string ProxyName = "registry-proxy";

    private readonly ChatSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Dictionary<long, PendingClaim> _claims = new();
    private IActorRef _registry = ActorRefs.Nobody;
    private Address _selfNode = null!;
    private long _claimSeq;

    public NicksActor(ChatSettings settings) => _settings = settings;

    public static Props Props(ChatSettings settings) => Akka.Actor.Props.Create(() => new NicksActor(settings));

    public ITimerScheduler Timers { get; set; } = null!;

    private TimeSpan RetryInterval => _settings.ClaimTimeout / 8;

    protected override void PreStart()
    {
        _selfNode = Akka.Cluster.Cluster.Get(Context.System).SelfAddress;
        Context.System.Settings.InjectTopLevelFallback(ClusterSingleton.DefaultConfig());
        var usersPath = Self.Path.Parent.ToStringWithoutAddress() + "/" + ChatService.UsersName;
        var manager = Context.Child(RegistryName);
        if (manager.IsNobody())
            Context.ActorOf(ClusterSingletonManager.Props(NickRegistry.Props(_settings.CaseMapping, usersPath, _settings.ClaimTimeout / 2), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(Context.System)), RegistryName);
        _registry = Context.Child(ProxyName) is { } proxy && !proxy.IsNobody()
            ? proxy
            : Context.ActorOf(ClusterSingletonProxy.Props(Self.Path.ToStringWithoutAddress() + "/" + RegistryName,
                ClusterSingletonProxySettings.Create(Context.System)), ProxyName);
    }

    protected override void Running()
    {
        Receive<Claim>(c =>
        {
            var id = ++_claimSeq;
            var claim = new NickClaim(id, c.Nick, c.Release, c.Node, c.Claimant);
            _claims[id] = new PendingClaim(c.Origin, claim);
            Timers.StartSingleTimer(id, new ClaimTimedOut(id), _settings.ClaimTimeout);
            if (!Timers.IsTimerActive(RetryClaims.Instance))
                Timers.StartPeriodicTimer(RetryClaims.Instance, RetryClaims.Instance, RetryInterval);
            _registry.Tell(claim, Self);
        });
        // A claim sent while the registry's node was lost went to the old instance (the proxy only buffers once it
        // knows the singleton moved): sent again until answered. Harmless when the first one arrives: a claim is
        // idempotent for its claimant, and a second answer is handled like a late one.
        Receive<RetryClaims>(_ =>
        {
            if (_claims.Count == 0) Timers.Cancel(RetryClaims.Instance);
            foreach (var claim in _claims.Values)
                if (!claim.Dead) _registry.Tell(claim.Claim, Self);
        });
        Receive<Release>(r => _registry.Tell(new NickRelease(r.Nick, _selfNode, r.Claimant), Self));
        Receive<SessionGone>(g =>
        {
            foreach (var claim in _claims.Values)
                if (claim.Origin.Session.Equals(g.Session)) claim.Dead = true;
        });
        Receive<NickClaimResult>(OnClaimResult);
        Receive<ClaimTimedOut>(t =>
        {
            if (!_claims.Remove(t.Id, out var claim)) return;
            _log.Warning("chat: nick registry did not answer the claim of {Nick} in {Timeout}", claim.Nick, _settings.ClaimTimeout);
            if (!claim.Dead) Tree.Users.Tell(new UsersActor.ClaimDecided(claim.Origin, claim.Nick, Granted: false, Unavailable: true));
            // a late grant is handed back in OnClaimResult (the claim is gone)
        });
    }

    private void OnClaimResult(NickClaimResult result)
    {
        if (!_claims.Remove(result.Id, out var claim) || claim.Dead)
        {
            if (result.Granted) Tree.Users.Tell(new UsersActor.LateGrant(result.Nick, result.Claimant));
            return;
        }

        Timers.Cancel(result.Id);
        Tree.Users.Tell(new UsersActor.ClaimDecided(claim.Origin, claim.Nick, result.Granted));
    }

    /// <summary>A restart keeps the registry's manager and proxy (children) and hands the open claims to the
    /// successor, which re-arms their timeouts: the answers to them still reach their sessions.</summary>
    private sealed record Handed(Dictionary<long, PendingClaim> Claims, long Seq);

    protected override object HandOver() => new Handed(_claims, _claimSeq);

    protected override void TakeOver(object state)
    {
        var h = (Handed)state;
        (_claims, _claimSeq) = (h.Claims, h.Seq);
    }

    protected override void OnRestored()
    {
        foreach (var id in _claims.Keys) Timers.StartSingleTimer(id, new ClaimTimedOut(id), _settings.ClaimTimeout);
    }
}
