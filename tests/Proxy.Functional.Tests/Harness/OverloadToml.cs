using System.Net;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// The config the overload tests share: one worker under a memory budget with the overload stages a
/// test chooses, an admin API, and the HTTP listener "inbound" (buffer_limit 1MiB) sending everything,
/// with a timeout long enough for a stall, to the cluster "app".
/// </summary>
internal static class OverloadToml
{
    /// <param name="memoryBudget">runtime.memory_budget, e.g. "1MiB".</param>
    /// <param name="stages">the body of [runtime.overload]: one "stage = fraction" line each.</param>
    /// <param name="app">the cluster "app"'s one host.</param>
    /// <param name="moreListeners">[[listeners]] tables after "inbound".</param>
    /// <param name="moreClusters">[[clusters]] tables after "app".</param>
    public static string Config(string memoryBudget, string stages, IPEndPoint app, string moreListeners = "", string moreClusters = "") => $$"""
        [runtime]
        workers = 1
        drain_timeout = "10s"
        memory_budget = "{{memoryBudget}}"

        [runtime.overload]
        {{stages}}

        [admin]
        address = "127.0.0.1:0"

        [[listeners]]
        name = "inbound"
        address = "127.0.0.1:0"
        protocol = "http"
        buffer_limit = "1MiB"

        [listeners.http]
        [[listeners.http.virtual_hosts]]
        name = "all"
        domains = ["*"]
        routes = [{ match = { prefix = "/" }, cluster = "app", timeout = "120s" }]

        {{moreListeners}}

        [[clusters]]
        name = "app"
        hosts = ["{{app}}"]

        {{moreClusters}}
        """;
}
