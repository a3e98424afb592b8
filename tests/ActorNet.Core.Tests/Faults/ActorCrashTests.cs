using ActorNet.Faults;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorNet.Core.Tests.Faults;

/// <summary><see cref="ActorCrash"/>: an actor that does nothing to cooperate fails through its parent's strategy.</summary>
public sealed class ActorCrashTests : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Counts the messages it got in this incarnation and tells the probe about its life cycle; it knows
    /// nothing about crashes.</summary>
    private sealed class Counter : ReceiveActor
    {
        private readonly IActorRef _probe;
        private int _count;

        public Counter(IActorRef probe)
        {
            _probe = probe;
            Receive<string>(s =>
            {
                _count++;
                _probe.Tell($"{s}:{_count}");
            });
        }

        protected override void PreRestart(Exception reason, object message)
        {
            _probe.Tell("pre-restart:" + reason.GetType().Name);
            base.PreRestart(reason, message);
        }

        protected override void PostStop() => _probe.Tell("stopped");
    }

    private sealed class Parent : ReceiveActor
    {
        private readonly Directive _directive;

        public Parent(IActorRef probe, Directive directive)
        {
            _directive = directive;
            var child = Context.ActorOf(Props.Create(() => new Counter(probe)), "child");
            Receive<string>(s => child.Forward(s));
            ReceiveAny(_ => Sender.Tell(child));
        }

        protected override SupervisorStrategy SupervisorStrategy() =>
            new OneForOneStrategy(ex => ex is InjectedFaultException ? _directive : Directive.Escalate, loggingEnabled: false);
    }

    private IActorRef ChildOf(Directive directive, string name)
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent(TestActor, directive)), name);
        parent.Tell(1);
        return ExpectMsg<IActorRef>(Timeout);
    }

    [Fact]
    public void Restart_runs_the_actors_own_lifecycle_and_keeps_its_mailbox()
    {
        var child = ChildOf(Directive.Restart, "restart");
        child.Tell("a");
        ExpectMsg("a:1", Timeout);
        ActorCrash.Crash(child, new InjectedFaultException("test", "child"));
        child.Tell("b"); // sent after the crash: handled by the new incarnation, not lost
        ExpectMsg("pre-restart:InjectedFaultException", Timeout);
        ExpectMsg("stopped", Timeout); // Akka's default PreRestart calls PostStop on the old instance
        ExpectMsg("b:1", Timeout);
    }

    [Fact]
    public void Resume_keeps_the_state()
    {
        var child = ChildOf(Directive.Resume, "resume");
        child.Tell("a");
        ExpectMsg("a:1", Timeout);
        ActorCrash.Crash(child, new InjectedFaultException("test", "child"));
        child.Tell("b");
        ExpectMsg("b:2", Timeout);
    }

    [Fact]
    public void Stop_stops_it()
    {
        var child = ChildOf(Directive.Stop, "stop");
        Watch(child);
        ActorCrash.Crash(child, new InjectedFaultException("test", "child"));
        ExpectMsg("stopped", Timeout);
        ExpectTerminated(child, Timeout);
    }

    [Fact]
    public void Paths_outside_the_node_or_the_guardian_itself_are_refused()
    {
        Assert.Null(ActorCrash.PathProblem("/user/actornet/services/chat"));
        Assert.Contains("outside", ActorCrash.PathProblem("/system/log1"));
        Assert.Contains("outside", ActorCrash.PathProblem("/user/actornetx/a"));
        Assert.Contains("node guardian", ActorCrash.PathProblem("/user/actornet"));
        Assert.Contains("empty path element", ActorCrash.PathProblem("/user/actornet//a"));
        Assert.NotNull(ActorCrash.PathProblem(""));
    }

    [Fact]
    public void Find_walks_the_live_tree()
    {
        var child = ChildOf(Directive.Restart, "find");
        Assert.Equal(child, ActorCrash.Find(Sys, "/user/find/child"));
        Assert.Null(ActorCrash.Find(Sys, "/user/find/nope"));
        Assert.Equal(["/user/find/child"], ActorCrash.Below(ActorCrash.Find(Sys, "/user/find")!).Select(ActorCrash.PathOf));
    }
}
