using MeshEdge.Config.Model;

namespace MeshEdge.Native.Network;

/// <summary>
/// A listener as every worker sees it: its config, the session it starts, and the connection
/// count behind max_connections. That count is the one field workers share; it is touched once
/// per connection (not per byte) with an interlocked add, which is the price of a global limit.
/// </summary>
internal sealed class ListenerRuntime(int index, ListenerConfig config, int clusterIndex, IDownstreamSessionFactory sessionFactory)
{
    private int _activeConnections;

    public int Index { get; } = index;

    public ListenerConfig Config { get; } = config;

    public string Name => Config.Name;

    /// <summary>The cluster its session forwards to, as an index into the snapshot's clusters.</summary>
    public int ClusterIndex { get; } = clusterIndex;

    public IDownstreamSessionFactory SessionFactory { get; } = sessionFactory;

    public int ActiveConnections => Volatile.Read(ref _activeConnections);

    public bool TryAcquireConnection()
    {
        if (Interlocked.Increment(ref _activeConnections) <= Config.MaxConnections)
        {
            return true;
        }

        Interlocked.Decrement(ref _activeConnections);
        return false;
    }

    public void ReleaseConnection() => Interlocked.Decrement(ref _activeConnections);
}
