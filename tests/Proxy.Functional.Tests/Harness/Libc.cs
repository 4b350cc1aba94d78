using System.Runtime.InteropServices;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// The one libc call the harness needs: <see cref="System.Diagnostics.Process"/> can only send SIGKILL,
/// and the drain behaviour under test starts with SIGTERM or SIGINT.
/// </summary>
internal static partial class Libc
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
