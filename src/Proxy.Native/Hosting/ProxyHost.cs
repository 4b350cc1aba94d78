using System.Globalization;
using System.Runtime.InteropServices;
using MeshEdge.Config.Model;
using MeshEdge.Interop;
using MeshEdge.Native.Admin;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;
using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// The main thread's side of the process: build the snapshot, bind listeners, start workers, wait
/// for a signal, drain, report. It never touches a worker's state while the worker runs.
/// </summary>
internal sealed partial class ProxyHost
{
    public const int ExitOk = 0;
    public const int ExitStartFailure = 1;
    public const int ExitBufferLeak = 3;

    private readonly ProxyConfig _config;
    private readonly int _workerCount;
    private readonly string[] _arguments;
    private readonly bool _upgrade;
    private readonly bool _diagnosticPool;
    private readonly MemoryBudget _budget;
    private readonly Tls.TlsServerContext?[] _tls;
    private readonly ManualResetEventSlim _stopSignal = new();
    private volatile int _signalCount;
    private volatile bool _workerFailed;
    private AdminState? _admin;
    private readonly SnapshotCompiler _compiler;

    /// <summary>The admin API's listener name (reserved: a configured listener cannot use it).</summary>
    public const string AdminListenerName = "admin";

    /// <param name="arguments">The command line, for a successor started by SIGHUP.</param>
    /// <param name="upgrade">--upgrade: take the listeners over from the instance running with this config.</param>
    /// <param name="tls">Each listener's loaded TLS (null for plaintext listeners), indexed like the config's listeners.</param>
    public ProxyHost(ProxyConfig config, int workerCount, string[] arguments, bool upgrade, Tls.TlsServerContext?[] tls)
    {
        _tls = tls;
        _config = config;
        _workerCount = workerCount;
        _arguments = arguments;
        _upgrade = upgrade;
        _diagnosticPool = Environment.GetEnvironmentVariable("MESHEDGE_DIAGNOSTIC_POOL") == "1";
        _budget = MemoryBudget.Resolve(config.Runtime.MemoryBudget, CgroupMemoryLimit.Read());
        _compiler = new SnapshotCompiler(workerCount);
    }

    public int Run()
    {
        WorkerSnapshot snapshot;
        try
        {
            snapshot = BuildSnapshot(_config);
        }
        catch (StartupException ex)
        {
            Log.Error("cannot start", ("reason", ex.Message));
            return ExitStartFailure;
        }

        var handoffPath = HandoffEndpoint.ResolvePath(_config);
        Takeover? takeover;
        try
        {
            takeover = BeginTakeover(handoffPath);
        }
        catch (HandoffException ex)
        {
            Log.Error("upgrade failed", ("reason", ex.Message));
            return ExitStartFailure;
        }

        using var takeoverScope = takeover;
        AdoptTicketKeys(takeover);
        var workers = new Worker[_workerCount];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = new Worker(i, snapshot, _diagnosticPool) { BusyPoll = _config.Runtime.BusyPoll };
            workers[i].ConfigureOverload(_budget.Bytes is { } budget ? budget / workers.Length : long.MaxValue, _config.Runtime.Overload);
        }

        foreach (var cluster in snapshot.Clusters)
        {
            WireHostsRemoved(cluster, workers);
        }

        var binding = ListenerBinding.Open(snapshot, _workerCount, Inherit(snapshot, takeover));
        if (binding is null)
        {
            AbandonTakeover(takeover, "the successor could not open its listeners (see its log)");
            foreach (var worker in workers)
            {
                worker.Dispose();
            }

            return ExitStartFailure;
        }

        var handoff = takeover is null
            ? handoffPath is null ? null : HandoffEndpoint.Open(handoffPath)
            : HandoffListener.Adopt(takeover.Offer.HandoffSocketFd, takeover.Offer.HandoffSocketPath);
        binding.AttachTo(workers);
        if (_admin is not null)
        {
            _admin.Workers = workers;
            _admin.Budget = _budget;
            _admin.AddressSource = () => binding.Addresses;
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnHangup);
        using var healthStop = new CancellationTokenSource();
        var clusterTasks = new ClusterTaskSet(healthStop.Token);
        clusterTasks.Start(snapshot.Clusters);
        using var secretWatcher = StartSecretWatcher(workers);
        foreach (var worker in workers)
        {
            // A worker parked in standby gives its thread back when idle; a command posted to it starts another.
            worker.ThreadStarter = StartThread;
            StartThread(worker);
        }

        StartStandby(snapshot, workers);
        var idleTrim = StartIdleTrim(workers);
        for (var i = 0; i < snapshot.Listeners.Length; i++)
        {
            Log.Info("listener started", ("listener", snapshot.Listeners[i].Name), ("address", binding.Addresses[snapshot.Listeners[i].Index]));
        }

        Log.Info("meshedge started", ("version", BuildInfo.Version), ("commit", BuildInfo.Commit), ("workers", _workerCount), ("config", _config.Source), ("pid", Environment.ProcessId),
            ("priority", ProcessPriority.Name(_config.Runtime.Priority)), ("nice", ProcessPriority.ReadNice()), ("oom_score_adj", ProcessPriority.ReadOomScoreAdj()),
            ("memory_budget", _budget.Bytes?.ToString(CultureInfo.InvariantCulture) ?? "none"), ("memory_budget_source", _budget.Source));
        if (takeover is null)
        {
            SystemdNotifier.Ready();
        }
        else
        {
            handoff = CompleteTakeover(takeover, binding, handoff!, handoffPath, snapshot);
        }

        var adopter = StartAdopting(takeover, snapshot, workers);
        var upgrades = StartUpgradeServer(handoff, binding, workers, adopter);
        var fileWatch = StartLiveConfig(new LiveConfigRuntime(snapshot, workers, binding, clusterTasks));

        // After live configuration is up: every config the control plane pushes is applied as a diff.
        using var xds = _config.Ads is not null ? Xds.XdsClient.Start(_config, _config.Source, this) : null;
        WaitForStop(idleTrim);
        fileWatch?.Dispose();
        var current = _live?.Snapshot ?? snapshot;
        if (_admin is not null)
        {
            _admin.Draining = true;
        }

        var handedOver = upgrades?.HandedOver == true;
        if (!handedOver)
        {
            // After a hand-over the hand-off thread still has connections to migrate: it stops after the drain.
            upgrades?.Stop();

            // After a hand-off the service goes on in the successor: systemd must not hear "stopping".
            SystemdNotifier.Stopping();
        }

        healthStop.Cancel();
        var drainClock = System.Diagnostics.Stopwatch.StartNew();
        Drain(workers, upgrades?.Migration);
        if (handedOver)
        {
            Log.Info("upgrade: drained", ("pid", Environment.ProcessId), ("drain_ms", Math.Round(drainClock.Elapsed.TotalMilliseconds, 1)));

            // The workers have ended: send the connections still queued, then end the migration.
            upgrades!.Stop();
        }

        Task.WaitAll(clusterTasks.All(), TimeSpan.FromSeconds(5));
        StatsReport.Write(current, workers);
        var leaked = ReportLeaks(workers);
        foreach (var worker in workers)
        {
            worker.Dispose();
        }

        var exitCode = leaked ? ExitBufferLeak : _workerFailed ? ExitStartFailure : ExitOk;
        Log.Info("stopped", ("pid", Environment.ProcessId), ("exit_code", exitCode));
        return exitCode;
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _signalCount++;
        _stopSignal.Set();
    }

    /// <summary>
    /// Each worker stops accepting and runs its own drain timer; the main thread only waits, and a
    /// second signal cuts the drain short.
    /// </summary>
    /// <param name="migration">After a hand-over to a successor that adopts live connections: where
    /// RPC sessions put their connections instead of closing them.</param>
    private void Drain(Worker[] workers, MigrationOutbox? migration)
    {
        var timeoutMs = (long)_config.Runtime.DrainTimeout.TotalMilliseconds;
        Log.Info("draining", ("timeout_s", timeoutMs / 1000.0), ("connections", workers.Sum(w => w.ConnectionCount)), ("migrating", migration is not null));
        foreach (var worker in workers)
        {
            worker.Post(w =>
            {
                w.Migration = migration;
                w.BeginDrain(timeoutMs);
            });
        }

        var signalsAtStart = _signalCount;
        var aborted = false;
        foreach (var ending in workers)
        {
            // The worker, not the thread it started on: a worker that rested in standby ends on a later one.
            while (!ending.WaitEnded(50))
            {
                if (!aborted && _signalCount != signalsAtStart)
                {
                    aborted = true;
                    Log.Info("second signal, closing connections now");
                    foreach (var worker in workers)
                    {
                        worker.Post(static w => w.Abort());
                    }
                }
            }
        }
    }

    private Thread StartThread(Worker worker)
    {
        var thread = new Thread(() =>
        {
            try
            {
                worker.Run();
            }
            catch (Exception ex)
            {
                Log.Error("worker stopped by an error", ("worker", worker.Id), ("error", ex.ToString()));
                _workerFailed = true;
                _stopSignal.Set();
            }
        })
        {
            Name = $"meshedge-worker-{worker.Id}",
            IsBackground = true,
        };
        thread.Start();
        return thread;
    }

    private bool ReportLeaks(Worker[] workers)
    {
        var leaked = false;
        foreach (var worker in workers)
        {
            if (worker.Pool.Outstanding != 0)
            {
                leaked = true;
                var level = _diagnosticPool ? LogLevel.Error : LogLevel.Warn;
                Log.Write(level, "buffer pool leak", [("worker", worker.Id), ("outstanding", worker.Pool.Outstanding)]);
            }
        }

        return leaked && _diagnosticPool;
    }
}
