namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// The hand-off cannot go on; <see cref="Exception.Message"/> is the reason, written for the log line
/// "upgrade failed". Thrown on the main or hand-off thread only, never on a worker.
/// </summary>
internal sealed class HandoffException(string reason) : Exception(reason);
