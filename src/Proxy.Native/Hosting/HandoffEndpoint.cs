using MeshEdge.Config.Model;
using MeshEdge.Interop;
using MeshEdge.Upgrade.Handoff;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Hosting;

/// <summary>Where this instance's hand-off socket lives, and opening it when nobody else serves there.</summary>
internal static class HandoffEndpoint
{
    /// <summary>
    /// The socket path for <paramref name="config"/>: runtime.uds_dir (or its fallback, logged) and the
    /// instance name. Null, logged, when no directory is usable: the proxy then runs without upgrades.
    /// </summary>
    public static string? ResolvePath(ProxyConfig config)
    {
        var directory = UdsDirectory.Resolve(config.Runtime.UdsDir, out var skipped);
        foreach (var reason in skipped)
        {
            Log.Write(directory is null ? LogLevel.Warn : LogLevel.Info, "hand-off directory not usable", [("reason", reason)]);
        }

        if (directory is null)
        {
            Log.Warn("hot upgrade unavailable: no usable directory for the hand-off socket");
            return null;
        }

        var path = HandoffSocketPath.For(directory, config.Runtime.Instance, config.Source);
        if (System.Text.Encoding.UTF8.GetByteCount(path) >= SunPathLength)
        {
            Log.Warn("hot upgrade unavailable: the hand-off socket path is too long", ("path", path));
            return null;
        }

        return path;
    }

    /// <summary>
    /// Binds the hand-off socket, unless a live process answers there (another instance with this
    /// config, running by hand beside us): then we leave its socket alone and run without one.
    /// </summary>
    public static HandoffListener? Open(string path)
    {
        using (var probe = FdChannel.TryConnect(path, out var errno))
        {
            if (probe is not null)
            {
                Log.Warn("another meshedge serves this hand-off socket; running without hot upgrade (start with --upgrade to take over from it)", ("socket", path));
                return null;
            }

            if (errno is not (ENOENT or ECONNREFUSED))
            {
                Log.Warn("hot upgrade unavailable", ("socket", path), ("error", Libc.Describe(errno)));
                return null;
            }
        }

        try
        {
            return HandoffListener.Bind(path);
        }
        catch (IOException ex)
        {
            Log.Warn("hot upgrade unavailable", ("socket", path), ("error", ex.Message));
            return null;
        }
    }
}
