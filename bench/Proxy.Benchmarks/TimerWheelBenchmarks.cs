using BenchmarkDotNet.Attributes;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Benchmarks;

/// <summary>Arming and cancelling a timer happens once per connect and per connection close.</summary>
[MemoryDiagnoser]
public class TimerWheelBenchmarks : ITimerHandler
{
    private readonly TimerWheel _wheel = new(0);
    private readonly TimerEntry[] _timers = new TimerEntry[1000];
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < _timers.Length; i++)
        {
            _timers[i] = new TimerEntry(this, 0);
            _wheel.Arm(_timers[i], 0, 1000 + i * 37);
        }
    }

    [Benchmark]
    public void ArmCancel()
    {
        var timer = _timers[(int)(_now++ % _timers.Length)];
        _wheel.Arm(timer, 0, 5000);
        _wheel.Cancel(timer);
    }

    [Benchmark]
    public int NextDeadline() => _wheel.MillisecondsUntilNext(0);

    void ITimerHandler.OnTimer(TimerEntry timer)
    {
    }
}
