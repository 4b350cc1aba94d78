namespace MeshEdge.Native.Upstream;

/// <summary>
/// One circuit breaker of a cluster (pending requests, active requests, retries): a count shared by
/// every worker behind a limit, changed once per request, never per byte. Past the limit the caller
/// fails fast; nothing waits for a slot.
/// </summary>
/// <remarks>
/// With several workers the count changes by interlocked adds. With one (a sidecar's usual shape)
/// only that worker's thread ever changes it, so plain adds do: a lock-prefixed add on every request
/// and every response was a few percent of the RPC path's CPU. Readers on other threads (the admin
/// API, stats) only read, and an aligned int is read whole either way.
/// </remarks>
internal sealed class BreakerLimit(int max, bool sharedByWorkers)
{
    private int _count;

    public int Max { get; } = max;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Takes a slot; false when the limit is reached. Inlined: every RPC call takes one, and the call cost more than the add.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryAcquire()
    {
        if (!sharedByWorkers)
        {
            if (_count >= Max)
            {
                return false;
            }

            _count++;
            return true;
        }

        return TryAcquireShared();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private bool TryAcquireShared()
    {
        if (Interlocked.Increment(ref _count) <= Max)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Release()
    {
        if (sharedByWorkers)
        {
            Interlocked.Decrement(ref _count);
        }
        else
        {
            _count--;
        }
    }
}
