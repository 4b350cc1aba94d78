using System.Runtime.InteropServices;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// The one libc call the harness needs: <see cref="System.Diagnostics.Process"/> can only send SIGKILL,
/// the drain and upgrade behaviour under test starts with SIGTERM, SIGINT or SIGHUP, and a backend
/// is frozen with SIGSTOP and thawed with SIGCONT.
/// </summary>
internal static partial class Libc
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigUsr2 = 12;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
