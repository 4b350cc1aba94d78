namespace MeshEdge.Native.Upstream;

/// <summary>
/// A count of open connections shared by every worker, behind a limit (a listener's
/// max_connections, a cluster's circuit breaker). It is touched once per connection, not per byte,
/// with an interlocked add: the price of a limit that holds over all workers together.
/// </summary>
internal sealed class ConnectionLimit(int max)
{
    private int _open;

    public int Max { get; } = max;

    public int Open => Volatile.Read(ref _open);

    public bool TryAcquire()
    {
        if (Interlocked.Increment(ref _open) <= Max)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _open);
}
