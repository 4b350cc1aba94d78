using System.Net;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// The config the overload tests share, built on <see cref="HttpToml"/>: one worker under a memory
/// budget with the overload stages a test chooses, an admin API, and the HTTP listener "inbound"
/// (buffer_limit 1MiB) sending everything, with a timeout long enough for a stall, to the cluster "app".
/// </summary>
internal static class OverloadToml
{
    /// <param name="memoryBudget">runtime.memory_budget, e.g. "1MiB".</param>
    /// <param name="stages">the body of [runtime.overload]: one "stage = fraction" line each.</param>
    /// <param name="app">the cluster "app"'s one host.</param>
    /// <param name="moreListeners">[[listeners]] tables besides "inbound".</param>
    /// <param name="moreClusters">[[clusters]] tables besides "app".</param>
    public static string Config(string memoryBudget, string stages, IPEndPoint app, string moreListeners = "", string moreClusters = "")
    {
        var http = HttpToml.Config(HttpToml.CatchAll(routeExtras: "timeout = \"120s\""), HttpToml.Cluster("app", app), moreClusters);
        var budgeted = HttpToml.WithListenerSettings(HttpToml.WithRuntimeSettings(http, $"memory_budget = \"{memoryBudget}\""), "buffer_limit = \"1MiB\"");
        return HttpToml.WithAdmin(budgeted) + $"\n[runtime.overload]\n{stages}\n\n{moreListeners}\n";
    }
}
