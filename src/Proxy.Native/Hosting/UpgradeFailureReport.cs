using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// A successor started by SIGHUP that cannot even load its config tells the process that started it
/// why, so the reason lands in that process's "upgrade failed" line (the operator's journal) and not
/// only on the successor's stderr. A successor started by hand reports on its own stderr only.
/// </summary>
internal static class UpgradeFailureReport
{
    public static void Send(string reason)
    {
        var path = Environment.GetEnvironmentVariable(SuccessorLauncher.SocketVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        using var channel = FdChannel.TryConnect(path, out _);
        if (channel is not null)
        {
            new SuccessorSession(channel).SendError(reason);
        }
    }
}
