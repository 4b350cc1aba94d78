using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Hosting;

/// <summary>The host's part of the idle trim: the main thread, otherwise only waiting for a stop signal, ticks it.</summary>
internal sealed partial class ProxyHost
{
    private IdleTrim? StartIdleTrim(Worker[] workers)
    {
        var after = _config.Runtime.IdleTrimAfter;
        if (after <= TimeSpan.Zero)
        {
            return null;
        }

        var trim = new IdleTrim(workers, after, Environment.TickCount64);
        if (_admin is not null)
        {
            _admin.IdleTrim = trim;
            _admin.Metrics.IdleTrim = trim;
        }

        return trim;
    }

    /// <summary>Waits for SIGTERM, SIGINT or a failed worker; meanwhile, with an idle trim, ticks it.</summary>
    private void WaitForStop(IdleTrim? trim)
    {
        if (trim is null)
        {
            _stopSignal.Wait();
            return;
        }

        while (!_stopSignal.Wait(trim.TickInterval))
        {
            trim.Tick(Environment.TickCount64);
        }
    }
}
