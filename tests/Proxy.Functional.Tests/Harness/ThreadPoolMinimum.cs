using System.Runtime.CompilerServices;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Lets the test process start thread-pool threads without delay. Its in-process backends serve
/// sockets on the pool, next to the readers of each child process's redirected output. With the
/// default minimum (one thread per core, two here) the pool ran short, and a backend's queued
/// accept waited for the pool's starvation check to add a thread: about half a second, as long as
/// a per-try timeout. HttpRetryTests' per-try-timeout case failed that way in about two runs of
/// five, while the proxy's own log showed its timers on time.
/// </summary>
internal static class ThreadPoolMinimum
{
    [ModuleInitializer]
    internal static void Raise() => ThreadPool.SetMinThreads(64, 64);
}
