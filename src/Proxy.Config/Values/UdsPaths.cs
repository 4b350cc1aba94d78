using System.Text;

namespace MeshEdge.Config.Values;

/// <summary>
/// Limits on <c>runtime.uds_dir</c> and <c>runtime.instance</c>. The hand-off socket is
/// <c>DIR/meshedge-INSTANCE.sock</c> and a Unix socket path has at most 107 bytes (sun_path), so the
/// directory gets what the longest name leaves.
/// </summary>
internal static class UdsPaths
{
    public const int MaxInstanceLength = 32;

    // "/meshedge-" + instance + ".sock"
    private const int MaxSocketNameLength = 10 + MaxInstanceLength + 5;

    private const int MaxSocketPathLength = 107;

    public const int MaxDirectoryLength = MaxSocketPathLength - MaxSocketNameLength;

    /// <summary>Null when <paramref name="dir"/> is acceptable, else why not (to follow the quoted value).</summary>
    public static string? CheckDirectory(string dir)
    {
        if (!dir.StartsWith('/'))
        {
            return "is not an absolute path";
        }

        if (dir.Contains('\0'))
        {
            return "contains a NUL character";
        }

        var bytes = Encoding.UTF8.GetByteCount(dir);
        return bytes > MaxDirectoryLength
            ? $"is too long ({bytes} bytes, at most {MaxDirectoryLength}, so that the socket path fits in a Unix socket address)"
            : null;
    }
}
