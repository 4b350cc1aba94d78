using System.Text;

namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// Names the hand-off socket: <c>DIR/meshedge-INSTANCE.sock</c>. Without an explicit
/// <c>runtime.instance</c> the instance is derived from the absolute config path (its 64-bit FNV-1a
/// hash in 16 hex digits), so two MeshEdge processes with different config files never share a
/// socket, and a process started with the same config, from any working directory, finds the one
/// to take over. Not a cryptographic hash on purpose: that would link OpenSSL, which the static and
/// arm64 binaries must start without.
/// </summary>
internal static class HandoffSocketPath
{
    /// <summary>The instance name when running on the embedded default config (no file).</summary>
    public const string EmbeddedInstance = "default";

    public static string For(string directory, string? instance, string configSource) =>
        Path.Combine(directory, FileName(instance ?? DeriveInstance(configSource)));

    public static string FileName(string instance) => $"meshedge-{instance}.sock";

    /// <summary><paramref name="configSource"/> is a file path, or a name in angle brackets for a config without a file.</summary>
    public static string DeriveInstance(string configSource)
    {
        if (configSource.StartsWith('<'))
        {
            return EmbeddedInstance;
        }

        var hash = 0xcbf29ce484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(Path.GetFullPath(configSource)))
        {
            hash = (hash ^ b) * 0x100000001b3UL;
        }

        return hash.ToString("x16");
    }
}
