using System.Runtime.InteropServices;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Whether this process is the static-pie build (toolchains/linux-x64-static.props) or a dynamic one,
/// asked of the kernel rather than of a build constant, so that nothing under src/ knows about release
/// variants: the kernel passes the ELF interpreter's load address as AT_BASE, and a static binary has
/// no interpreter (0). Works without /proc, as in an empty container.
/// </summary>
internal static partial class ExecutableLinkage
{
    private const nuint AT_BASE = 7;

    [LibraryImport("libc", EntryPoint = "getauxval")]
    private static partial nuint GetAuxiliaryValue(nuint type);

    /// <summary>True in the static binary, which can load no shared library (libssl) from an empty container.</summary>
    public static bool IsStatic { get; } = GetAuxiliaryValue(AT_BASE) == 0;
}
