using System.Diagnostics;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// Switches the process between active and standby at run time (the admin API's POST /mode, and
/// runtime.mode at start). Standby keeps every listener and connection and: steers new connections
/// to the first worker (<see cref="ReuseportSteering"/>; the others are parked, serving what they
/// have), sends all but <c>standby.local_share</c> of new requests for the local application to the
/// peers (<see cref="Worker.StandbyCluster"/>), and gives memory back: each pool's cached pages, idle
/// upstream connections, then what <see cref="ProcessMemoryTrim"/> gives back (the managed heap,
/// glibc's free lists, the executable's cold code pages); a parked worker gives its
/// thread back once its last connection is gone (<see cref="Worker.MayRest"/>). Active undoes the
/// steering and the swap and wakes the resting workers; memory comes back as the load asks for it. Workers do their part on their own
/// threads (posted commands); the switch waits for all of them, so its duration covers the whole of it.
/// One switch at a time.
/// </summary>
internal sealed class StandbyController(Worker[] workers, StandbyDiversion? diversion, double localShare)
{
    private static readonly TimeSpan WorkerPatience = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();

    public RuntimeMode Mode { get; private set; } = RuntimeMode.Active;

    public DateTimeOffset? SwitchedAt { get; private set; }

    public double LastSwitchMs { get; private set; }

    public long Switches { get; private set; }

    /// <summary>Bytes of pooled pages the last switch to standby gave back.</summary>
    public long LastReleasedBytes { get; private set; }

    /// <summary>Bytes of the executable's clean read-only pages the last switch to standby dropped (<see cref="ExecutablePages"/>).</summary>
    public long LastReleasedCodeBytes { get; private set; }

    /// <summary>False when the kernel refused the reuseport program: workers are marked parked but still take connections.</summary>
    public bool SteeringWorks { get; private set; } = true;

    public StandbyDiversion? Diversion { get; } = diversion;

    public double LocalShare { get; } = localShare;

    /// <summary>At start: standby when the config says so; otherwise the kernel's spreading, in case a predecessor left its program on the sockets.</summary>
    public void Start(RuntimeMode mode)
    {
        if (mode == RuntimeMode.Standby)
        {
            Switch(RuntimeMode.Standby);
        }
        else if (workers.Length > 1)
        {
            workers[0].Post(static w => w.SteerAccepts(toFirstSocket: false));
        }
    }

    /// <summary>Switches (again, if already there: standby gives back what was rented since); returns the time it took.</summary>
    public double Switch(RuntimeMode mode)
    {
        lock (_gate)
        {
            var clock = Stopwatch.StartNew();
            var standby = mode == RuntimeMode.Standby;
            long released = 0;
            var steered = true;
            using var done = new CountdownEvent(workers.Length);
            foreach (var worker in workers)
            {
                worker.Post(w =>
                {
                    try
                    {
                        if (standby)
                        {
                            Interlocked.Add(ref released, w.EnterStandby(Diversion, parked: w.Id != 0 && workers.Length > 1));
                        }
                        else
                        {
                            w.EnterActive();
                        }

                        if (w.Id == 0 && workers.Length > 1)
                        {
                            steered = w.SteerAccepts(toFirstSocket: standby);
                        }
                    }
                    finally
                    {
                        done.Signal();
                    }
                });
            }

            var allDone = done.Wait(WorkerPatience);
            if (standby && steered)
            {
                // Accepts now go to worker 0 alone: the parked ones may give their threads back once idle.
                foreach (var worker in workers)
                {
                    worker.Post(static w => w.MayRest = w.IsParked);
                }
            }

            // Each phase's share of the switch, for the log: on a loaded machine the total says little alone.
            var workersMs = clock.Elapsed.TotalMilliseconds;
            double gcMs = 0;
            if (standby)
            {
                (gcMs, LastReleasedCodeBytes) = ProcessMemoryTrim.Run();
            }

            clock.Stop();
            var previous = Mode;
            Mode = mode;
            SwitchedAt = DateTimeOffset.UtcNow;
            LastSwitchMs = clock.Elapsed.TotalMilliseconds;
            Switches++;
            SteeringWorks = steered;
            if (standby)
            {
                LastReleasedBytes = Interlocked.Read(ref released);
            }

            Log.Info("mode switched", ("from", Name(previous)), ("to", Name(mode)), ("switch_ms", Math.Round(LastSwitchMs, 2)),
                ("workers_ms", Math.Round(workersMs, 2)), ("gc_ms", Math.Round(gcMs, 2)),
                ("released_buffer_bytes", standby ? LastReleasedBytes : 0),
                ("released_code_bytes", standby ? LastReleasedCodeBytes : 0), ("workers_done", allDone), ("accept_steering", steered));
            if (!steered)
            {
                Log.Warn("mode: the kernel refused the SO_REUSEPORT program; every worker still takes new connections");
            }

            return LastSwitchMs;
        }
    }

    public static string Name(RuntimeMode mode) => mode == RuntimeMode.Standby ? "standby" : "active";
}
