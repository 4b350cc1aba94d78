using System.Diagnostics;

namespace MeshEdge.Native.Hosting;

/// <summary>Milliseconds since the previous mark, for the phase fields of the upgrade log lines.</summary>
internal sealed class UpgradeTimings
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last;

    /// <summary>Milliseconds since the last call (or since creation), rounded to 0.1.</summary>
    public double Lap()
    {
        var now = _clock.Elapsed;
        var lap = now - _last;
        _last = now;
        return Math.Round(lap.TotalMilliseconds, 1);
    }

    public double TotalMs => Math.Round(_clock.Elapsed.TotalMilliseconds, 1);
}
