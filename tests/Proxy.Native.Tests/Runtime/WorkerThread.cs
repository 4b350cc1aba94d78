using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Tests.Runtime;

/// <summary>
/// A real worker running its loop on a thread of its own, as ProxyHost runs one; the unit harnesses
/// (HTTP, RPC) build the worker and reach into its thread only through <see cref="Worker.Post"/>.
/// </summary>
internal sealed class WorkerThread : IDisposable
{
    private readonly Thread _thread;

    public WorkerThread(Worker worker)
    {
        Worker = worker;
        _thread = new Thread(worker.Run) { IsBackground = true, Name = "worker 0" };
        _thread.Start();
    }

    public Worker Worker { get; }

    /// <summary>Runs <paramref name="read"/> on the worker's thread between events and returns its answer.</summary>
    public T OnWorker<T>(Func<T> read)
    {
        var result = default(T)!;
        using var done = new ManualResetEventSlim();
        Worker.Post(_ =>
        {
            result = read();
            done.Set();
        });
        Assert.True(done.Wait(TimeSpan.FromSeconds(30)), "the worker did not run a posted command");
        return result;
    }

    /// <summary>Bytes the worker's thread has allocated on the managed heap so far.</summary>
    public long AllocatedBytes() => OnWorker(() => GC.GetAllocatedBytesForCurrentThread());

    public void Dispose()
    {
        Worker.Post(worker => worker.Abort());
        _thread.Join(TimeSpan.FromSeconds(30));
        Worker.Dispose();
    }
}
