using System.Reflection;

namespace MeshEdge.Native.Hosting;

/// <summary>The version (from the VERSION file) and commit stamped into the binary at build time.</summary>
internal static class BuildInfo
{
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
