using System.Diagnostics;
using MeshEdge.Config;
using MeshEdge.Config.Model;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Live configuration, applied as a diff: a new whole config is validated (the startup loader's
/// checks, certificates, access logs, binds of new listeners), compiled against the running
/// snapshot, and posted to every worker, which switch between events. Unchanged listeners keep
/// their sockets and connections; clusters whose settings stay keep their state. Anything refused
/// changes nothing: the reason is logged, counted and shown in /config_dump.
/// </summary>
internal sealed partial class ProxyHost : ILiveConfigTarget
{
    /// <summary>How long a change waits for every worker to switch before it reports them stuck.</summary>
    private static readonly TimeSpan WorkerApplyLimit = TimeSpan.FromSeconds(10);

    private readonly Lock _liveLock = new();
    private LiveConfigRuntime? _live;
    private LiveConfigStatus _liveStatus = new();

    /// <summary>The config file's version in effect: the watcher skips a change that is already applied (by reload or the admin API).</summary>
    private string? _fileVersionInEffect;

    /// <summary>Once workers run: file watching and the admin's POST /reload. Returns what stops the watcher.</summary>
    private IDisposable? StartLiveConfig(LiveConfigRuntime live)
    {
        live.Config = _config;
        _liveStatus = _admin?.LiveConfig ?? _liveStatus;
        var path = ConfigFilePath();
        _fileVersionInEffect = path is null ? "embedded" : ConfigFileWatcher.VersionOf(path) ?? "";
        _liveStatus.Started("file", _fileVersionInEffect);
        lock (_liveLock)
        {
            _live = live;
        }

        if (path is null)
        {
            return null;
        }

        if (_admin is not null)
        {
            _admin.Reload = () => ReloadFile(path, "admin");
        }

        return ConfigFileWatcher.Start(path, () => ReloadFile(path, "watch"));
    }

    /// <summary>The file the config came from; null for the embedded default.</summary>
    private string? ConfigFilePath() => File.Exists(_config.Source) ? Path.GetFullPath(_config.Source) : null;

    /// <summary>Loads the config file again with the startup loader and applies it; the loader's errors (file, key path, reason) refuse it.</summary>
    private string? ReloadFile(string path, string origin)
    {
        var version = ConfigFileWatcher.VersionOf(path) ?? "unreadable";
        if (origin == "watch" && version == _fileVersionInEffect)
        {
            return null;
        }

        if (_config.Ads is not null)
        {
            // The resources in effect came from the control plane: the file is only their bootstrap.
            return Refuse(origin, version, "the config comes from a control plane (dynamic_resources.ads_config); its bootstrap file is read at start only");
        }

        var loaded = ConfigLoader.LoadFile(path);
        if (!loaded.Succeeded)
        {
            return Refuse(origin, version, string.Join("; ", loaded.Errors));
        }

        var error = TryApply(loaded.Config!, origin, version, loaded.InSourcePaths);
        if (error is null)
        {
            _fileVersionInEffect = version;
        }

        return error;
    }

    public string? TryApply(ProxyConfig next, string origin, string version) => TryApply(next, origin, version, inSource: null);

    /// <param name="inSource">
    /// For a file: each error found after loading (a certificate that does not load) with the key path
    /// of the file as written (an Envoy bootstrap's own, <see cref="ConfigLoadResult.InSourcePaths"/>), as at start.
    /// </param>
    private string? TryApply(ProxyConfig next, string origin, string version, Func<ConfigError, ConfigError>? inSource)
    {
        lock (_liveLock)
        {
            if (_live is not { } live)
            {
                return Refuse(origin, version, "the process is not serving yet");
            }

            if (_stopSignal.IsSet)
            {
                return Refuse(origin, version, "the process is draining");
            }

            var clock = Stopwatch.StartNew();
            var error = Apply(live, next, version, inSource ?? (e => e), out var changed);
            if (error is not null)
            {
                return Refuse(origin, version, error);
            }

            _liveStatus.Accepted(origin, version, changed, clock.Elapsed);
            Log.Info("config applied", ("origin", origin), ("version", version), ("changed", changed.Count == 0 ? "nothing" : string.Join(",", changed)),
                ("apply_ms", Math.Round(clock.Elapsed.TotalMilliseconds, 2)));
            return null;
        }
    }

    private string Refuse(string origin, string version, string error)
    {
        Log.Warn("config rejected", ("origin", origin), ("version", version), ("error", error));
        _liveStatus.Rejected(origin, version, error);
        return error;
    }

    private string? Apply(LiveConfigRuntime live, ProxyConfig next, string version, Func<ConfigError, ConfigError> inSource, out List<string> changed)
    {
        changed = [];
        var current = live.Config!;
        WarnAboutRestartOnlyChanges(current, next);
        var tls = Tls.TlsListenerContexts.Load(next, out var tlsErrors, live.Snapshot.Listeners);
        if (tls is null)
        {
            return string.Join("; ", tlsErrors.Select(inSource));
        }

        SnapshotPlan plan;
        try
        {
            plan = _compiler.Compile(next, tls, live.Snapshot);
        }
        catch (StartupException ex)
        {
            Tls.TlsListenerContexts.ReleaseUnpublished(tls, live.Snapshot.Listeners);
            return ex.Problems.Count == 0 ? ex.Message : string.Join("; ", ex.Problems.Select(p => inSource(new ConfigError(next.Source, p.Path, p.Reason))));
        }

        var added = plan.Snapshot.Listeners.Where(l => plan.AddedListeners.Contains(l.Index)).ToList();
        var sockets = live.Binding.OpenAdded(added, live.Workers.Length, plan.Snapshot.ListenerSlots, out var bindError);
        if (sockets is null)
        {
            plan.CloseOpenedSinks();
            Tls.TlsListenerContexts.ReleaseUnpublished(tls, live.Snapshot.Listeners);
            return bindError;
        }

        // Accepted from here on: nothing below refuses.
        _compiler.Commit(plan);
        foreach (var (cluster, hosts) in plan.HostChanges)
        {
            cluster.ReplaceHosts(hosts);
        }

        foreach (var cluster in plan.AddedClusters)
        {
            WireHostsRemoved(cluster, live.Workers);
        }

        live.ClusterTasks.Start(plan.AddedClusters);
        var listenersBefore = live.Snapshot.Listeners;
        Publish(live, plan.Snapshot, sockets, version);
        UpdateSecrets(next, tls, live.Workers);
        RetireReplacedContexts(listenersBefore, tls, live.Workers);
        foreach (var cluster in plan.RetiredClusters)
        {
            live.ClusterTasks.Stop(cluster);
            cluster.Retire();
        }

        foreach (var listener in plan.RemovedListeners)
        {
            live.Binding.Forget(listener);
            Log.Info("listener removed, draining", ("listener", listener.Name), ("address", listener.Config.Address));
        }

        foreach (var listener in added)
        {
            Log.Info("listener started", ("listener", listener.Name), ("address", live.Binding.Addresses[listener.Index]));
        }

        changed = ConfigChanges.Between(current, next, plan);
        live.Config = next;
        if (_admin is not null)
        {
            _admin.Config = next;
        }

        return null;
    }

    /// <summary>Posts the snapshot to every worker and waits until each runs on it; only then do the admin API's readers see it.</summary>
    private void Publish(LiveConfigRuntime live, WorkerSnapshot snapshot, List<ListenerSocket>[] sockets, string version)
    {
        snapshot = snapshot with { Version = version };
        var drainMs = (long)live.Config!.Runtime.DrainTimeout.TotalMilliseconds;
        using var applied = new CountdownEvent(live.Workers.Length);
        for (var i = 0; i < live.Workers.Length; i++)
        {
            var mine = sockets[i];
            live.Workers[i].Post(w =>
            {
                try
                {
                    w.ApplySnapshot(snapshot, mine, drainMs);
                }
                finally
                {
                    applied.Signal();
                }
            });
        }

        if (!applied.Wait(WorkerApplyLimit))
        {
            Log.Warn("config: a worker has not switched to the new snapshot yet", ("waited_s", WorkerApplyLimit.TotalSeconds));
        }

        live.Snapshot = snapshot;
        if (_admin is not null)
        {
            _admin.Snapshot = snapshot;
        }
    }

    /// <summary>When <paramref name="cluster"/> loses hosts, every worker's pools close their connections to them once idle.</summary>
    private static void WireHostsRemoved(ClusterRuntime cluster, Worker[] workers) =>
        cluster.HostsRemoved += removedFrom => Array.ForEach(workers, worker => worker.Post(w => w.DrainRemovedHosts(removedFrom.Index)));

    /// <summary>The runtime table and the admin address are read at start only: a change waits for the next hot upgrade.</summary>
    private static void WarnAboutRestartOnlyChanges(ProxyConfig current, ProxyConfig next)
    {
        if (current.Runtime != next.Runtime)
        {
            Log.Warn("config: [runtime] changed; it takes effect at the next hot upgrade (SIGHUP)");
        }

        if (current.Admin != next.Admin)
        {
            Log.Warn("config: [admin] changed; it takes effect at the next hot upgrade (SIGHUP)");
        }
    }
}
