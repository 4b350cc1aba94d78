using System.Runtime.InteropServices;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>kill(2), because <see cref="System.Diagnostics.Process"/> can only send SIGKILL.</summary>
internal static partial class Libc
{
    public const int SigHup = 1;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
