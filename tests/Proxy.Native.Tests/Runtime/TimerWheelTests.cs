using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Tests.Runtime;

public sealed class TimerWheelTests
{
    private sealed class Recorder : ITimerHandler
    {
        public List<(TimerEntry Timer, long At)> Fired { get; } = [];

        public Action<TimerEntry>? OnFire { get; set; }

        public long Now { get; set; }

        public void OnTimer(TimerEntry timer)
        {
            Fired.Add((timer, Now));
            OnFire?.Invoke(timer);
        }
    }

    private sealed class Throwing : ITimerHandler
    {
        public int Faults { get; private set; }

        public void OnTimer(TimerEntry timer) => throw new InvalidOperationException("a bug in a timer handler");

        public void OnTimerFault() => Faults++;
    }

    [Fact]
    public void A_timer_fires_at_its_deadline_and_not_before()
    {
        var recorder = new Recorder();
        var wheel = new TimerWheel(0);
        var timer = new TimerEntry(recorder, 0);
        wheel.Arm(timer, 0, 250);
        AdvanceTo(wheel, recorder, 240);
        Assert.Empty(recorder.Fired);
        AdvanceTo(wheel, recorder, 260);
        Assert.Single(recorder.Fired);
        Assert.InRange(recorder.Fired[0].At, 250, 260);
        Assert.False(timer.IsArmed);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void A_handler_that_throws_is_told_and_the_other_timers_still_fire()
    {
        var faulty = new Throwing();
        var recorder = new Recorder();
        var wheel = new TimerWheel(0);
        var bad = new TimerEntry(faulty, 0);
        var good = new TimerEntry(recorder, 0);
        var later = new TimerEntry(recorder, 1);
        wheel.Arm(good, 0, 100);
        wheel.Arm(bad, 0, 100);
        wheel.Arm(later, 0, 300);

        AdvanceTo(wheel, recorder, 150);
        Assert.Equal(1, faulty.Faults);
        Assert.Equal(1, wheel.Faults);
        Assert.Equal([good], recorder.Fired.Select(f => f.Timer));

        // The wheel is whole: the thrower can be armed again, and later timers fire on time.
        wheel.Arm(bad, 150, 100);
        AdvanceTo(wheel, recorder, 400);
        Assert.Equal(2, faulty.Faults);
        Assert.Equal([good, later], recorder.Fired.Select(f => f.Timer));
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void A_cancelled_timer_never_fires()
    {
        var recorder = new Recorder();
        var wheel = new TimerWheel(0);
        var timer = new TimerEntry(recorder, 0);
        wheel.Arm(timer, 0, 100);
        wheel.Cancel(timer);
        AdvanceTo(wheel, recorder, 1000);
        Assert.Empty(recorder.Fired);
        Assert.Equal(-1, wheel.MillisecondsUntilNext(1000));
    }

    [Fact]
    public void Deadlines_beyond_one_turn_wait_for_their_turn()
    {
        var recorder = new Recorder();
        var wheel = new TimerWheel(0);
        var timer = new TimerEntry(recorder, 0);
        wheel.Arm(timer, 0, 30_000);
        AdvanceTo(wheel, recorder, 29_990);
        Assert.Empty(recorder.Fired);
        AdvanceTo(wheel, recorder, 30_010);
        Assert.Single(recorder.Fired);
    }

    [Fact]
    public void A_long_stall_fires_everything_that_came_due()
    {
        var recorder = new Recorder();
        var wheel = new TimerWheel(0);
        for (var i = 1; i <= 50; i++)
        {
            wheel.Arm(new TimerEntry(recorder, i), 0, i * 700);
        }

        recorder.Now = 100_000;
        wheel.Advance(100_000);
        Assert.Equal(50, recorder.Fired.Count);
    }

    [Fact]
    public void A_handler_may_cancel_a_neighbour_that_expired_in_the_same_slot()
    {
        var recorder = new Recorder();
        var wheel = new TimerWheel(0);
        var first = new TimerEntry(recorder, 1);
        var second = new TimerEntry(recorder, 2);
        wheel.Arm(first, 0, 100);
        wheel.Arm(second, 0, 100);
        recorder.OnFire = fired => wheel.Cancel(fired == first ? second : first);
        AdvanceTo(wheel, recorder, 200);
        Assert.Single(recorder.Fired);
    }

    [Fact]
    public void A_handler_may_rearm_its_own_timer()
    {
        var recorder = new Recorder();
        var wheel = new TimerWheel(0);
        var timer = new TimerEntry(recorder, 0);
        recorder.OnFire = fired =>
        {
            if (recorder.Fired.Count < 3)
            {
                wheel.Arm(fired, recorder.Now, 100);
            }
        };
        wheel.Arm(timer, 0, 100);
        AdvanceTo(wheel, recorder, 1000);
        Assert.Equal(3, recorder.Fired.Count);
    }

    [Fact]
    public void The_loop_may_sleep_until_the_next_occupied_slot()
    {
        var recorder = new Recorder();
        var wheel = new TimerWheel(0);
        Assert.Equal(-1, wheel.MillisecondsUntilNext(0));
        wheel.Arm(new TimerEntry(recorder, 0), 0, 5_000);
        Assert.InRange(wheel.MillisecondsUntilNext(0), 4_990, 5_010);
        wheel.Arm(new TimerEntry(recorder, 1), 0, 40);
        Assert.InRange(wheel.MillisecondsUntilNext(0), 30, 50);
    }

    private static void AdvanceTo(TimerWheel wheel, Recorder recorder, long until)
    {
        for (var now = recorder.Now; now <= until; now += 5)
        {
            recorder.Now = now;
            wheel.Advance(now);
        }
    }
}
