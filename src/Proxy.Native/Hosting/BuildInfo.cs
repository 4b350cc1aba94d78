using System.Reflection;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// The version (from the VERSION file) and commit stamped into the binary at build time; the SDK
/// writes them as "0.1.0+&lt;commit&gt;" into the informational version.
/// </summary>
internal static class BuildInfo
{
    private static readonly string[] Parts =
        (typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown")
        .Split('+', 2);

    /// <summary>The release version, e.g. 0.1.0.</summary>
    public static string Version { get; } = Parts[0];

    /// <summary>The commit the binary was built from (12 hex digits), or "unknown" outside a git checkout.</summary>
    public static string Commit { get; } = Parts.Length > 1 ? Parts[1][..Math.Min(12, Parts[1].Length)] : "unknown";
}
