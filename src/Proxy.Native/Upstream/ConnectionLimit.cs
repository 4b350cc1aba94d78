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

    /// <summary>
    /// Counts a connection that exists already (adopted from the previous process in a hot upgrade):
    /// refusing it would close a client's live connection, so the limit may be passed for a while.
    /// </summary>
    public void AcquireExisting() => Interlocked.Increment(ref _open);

    public void Release() => Interlocked.Decrement(ref _open);
}
