using MeshEdge.Config.Model;
using MeshEdge.Native.Admin;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Hosting;

/// <summary>Compiling the config into the snapshot workers use: listeners with their session factories, clusters, the admin listener.</summary>
internal sealed partial class ProxyHost
{
    private WorkerSnapshot BuildSnapshot(ProxyConfig config)
    {
        var snapshot = _compiler.Compile(config, _tls, previous: null).Snapshot;
        if (config.Admin is not { } admin)
        {
            _compiler.Commit(new SnapshotPlan { Snapshot = snapshot });
            return snapshot;
        }

        // The admin API is one more listener (so the hot upgrade hands it over like the others),
        // whose factory needs the finished snapshot: the state is filled in once the snapshot exists.
        var adminConfig = new ListenerConfig(AdminListenerName, admin.Address, ListenerProtocol.Admin, 128, 1024 * 1024, new TcpProxyConfig("", TimeSpan.Zero, 1));
        var adminFactory = new AdminSessionFactory();
        var adminId = _compiler.NextListenerId();
        snapshot = snapshot with
        {
            Listeners = snapshot.Listeners.Add(new ListenerRuntime(adminId, adminConfig, -1, adminFactory)),
            ListenerSlots = adminId + 1,
        };
        _compiler.Commit(new SnapshotPlan { Snapshot = snapshot });
        _admin = adminFactory.State = new AdminState(config, snapshot).Init();
        return snapshot;
    }
}
