using System.Text.Json;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>One worker's entry of /stats "per_worker": its event-loop counters and what each listener of it accepted.</summary>
internal sealed record WorkerCounters(int Worker, long EpollWaits, long BusyPollWaits, IReadOnlyDictionary<string, long> Accepted)
{
    public static WorkerCounters[] Parse(JsonElement stats) =>
        [.. stats.GetProperty("per_worker").EnumerateArray().Select(worker => new WorkerCounters(
            worker.GetProperty("worker").GetInt32(),
            worker.GetProperty("epoll_waits").GetInt64(),
            worker.GetProperty("busy_poll_waits").GetInt64(),
            worker.GetProperty("listeners").EnumerateObject().ToDictionary(listener => listener.Name, listener => listener.Value.GetProperty("cx_total").GetInt64())))];

    public override string ToString() =>
        $"worker {Worker}: epoll_waits={EpollWaits} busy_poll_waits={BusyPollWaits} accepted {string.Join(", ", Accepted.Select(a => $"{a.Key}={a.Value}"))}";
}
