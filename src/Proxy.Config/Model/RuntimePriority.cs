namespace MeshEdge.Config.Model;

/// <summary><c>runtime.priority</c>: how the process stands against the application beside it.</summary>
public enum RuntimePriority
{
    /// <summary>Leaves the scheduling priority and the OOM score as the process found them.</summary>
    Normal,

    /// <summary>
    /// Yields: nice 10 on every thread (the application wins under CPU contention) and
    /// oom_score_adj 500 (under memory pressure the kernel kills the sidecar first).
    /// </summary>
    Low,
}
