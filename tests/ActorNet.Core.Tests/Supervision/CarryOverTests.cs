using ActorNet.Supervision;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorNet.Core.Tests.Supervision;

/// <summary>State handed over in PreRestart is the state the restarted instance starts from, and messages queued
/// behind the crash are handled with it, in order.</summary>
public sealed class CarryOverTests : TestKit
{
    private sealed class Counter : ReceiveActor
    {
        private List<int> _seen = new();

        public Counter()
        {
            Receive<int>(n => _seen.Add(n));
            Receive<string>(s =>
            {
                if (s == "boom") throw new InvalidOperationException("boom");
                Sender.Tell(string.Join(',', _seen));
            });
        }

        protected override void PreRestart(Exception reason, object message) => CarryOver.Get(Context.System).Hand(Self, _seen);

        protected override void PostRestart(Exception reason)
        {
            if (CarryOver.Get(Context.System).TryTake<List<int>>(Self, out var seen)) _seen = seen;
        }
    }

    [Fact]
    public void A_restarted_actor_keeps_its_state_and_handles_what_was_queued_after_the_crash()
    {
        var counter = Sys.ActorOf(Props.Create(() => new Counter()));
        counter.Tell(1);
        counter.Tell(2);
        counter.Tell("boom");
        counter.Tell(3); // queued behind the crash
        counter.Tell("show");
        ExpectMsg("1,2,3");
    }

    [Fact]
    public void Without_a_hand_over_nothing_is_taken()
    {
        Assert.False(CarryOver.Get(Sys).TryTake<List<int>>(TestActor, out _));
        CarryOver.Get(Sys).Hand(TestActor, new List<int> { 1 });
        Assert.False(CarryOver.Get(Sys).TryTake<string>(TestActor, out _)); // another type: gone, not handed out
        Assert.False(CarryOver.Get(Sys).TryTake<List<int>>(TestActor, out _));
    }
}
