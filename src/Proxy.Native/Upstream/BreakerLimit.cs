namespace MeshEdge.Native.Upstream;

/// <summary>
/// One circuit breaker of a cluster (pending requests, active requests, retries): a count shared by
/// every worker behind a limit, changed with an interlocked add once per request, never per byte.
/// Past the limit the caller fails fast; nothing waits for a slot.
/// </summary>
internal sealed class BreakerLimit(int max)
{
    private int _count;

    public int Max { get; } = max;

    public int Count => Volatile.Read(ref _count);

    public bool TryAcquire()
    {
        if (Interlocked.Increment(ref _count) <= Max)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _count);
}
