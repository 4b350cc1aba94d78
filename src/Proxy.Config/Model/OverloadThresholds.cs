namespace MeshEdge.Config.Model;

/// <summary>
/// <c>[runtime.overload]</c>: the staged overload actions, each entered when a worker's pooled buffers
/// in use pass this fraction of its share of the memory budget, and left when they fall back under it.
/// Zero turns a stage off. The defaults follow Envoy's examples: act gently well before the budget
/// (stop feeding the biggest holders, then end keep-alive, then stop accepting) and refuse new work
/// only at the budget itself.
/// </summary>
/// <param name="StopReading">Stop reading for the connections holding the most buffered bytes.</param>
/// <param name="DisableKeepAlive">Close idle HTTP keep-alive connections; responses say <c>connection: close</c>.</param>
/// <param name="StopAccepting">Stop accepting new connections (the listeners leave the worker's epoll set).</param>
/// <param name="RejectRequests">New requests and calls get the protocol's overload reply.</param>
public sealed record OverloadThresholds(double StopReading, double DisableKeepAlive, double StopAccepting, double RejectRequests)
{
    public static readonly OverloadThresholds Default = new(0.8, 0.9, 0.95, 1.0);
}
