using MeshEdge.Interop;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// Parks workers for new connections without closing a socket: a classic BPF program attached to a
/// listener's SO_REUSEPORT group (SO_ATTACH_REUSEPORT_CBPF) returns the index of the socket that gets
/// each new connection; "return 0" sends every one to the group's first socket, the first worker's
/// (it bound first). The other sockets stay open and their workers keep accepting what is already in
/// their queues, so nothing queued is lost, as it would be by closing them. Detaching the program
/// (SO_DETACH_REUSEPORT_BPF) gives the kernel's hash spreading back. The program belongs to the
/// group, so setting it on one socket sets it for all.
/// </summary>
internal static unsafe class ReuseportSteering
{
    private const int SO_ATTACH_REUSEPORT_CBPF = 51;
    private const int SO_DETACH_REUSEPORT_BPF = 68;
    private const ushort BPF_RET_K = 0x06;

    public static bool SteerToFirst(int fd)
    {
        // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }: one instruction, "ret #0".
        var instruction = stackalloc ulong[1];
        instruction[0] = BPF_RET_K;

        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }, padded to 16 bytes.
        var program = stackalloc ulong[2];
        program[0] = 1;
        program[1] = (ulong)instruction;
        return Libc.SetSockOpt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, program, 16) == 0;
    }

    /// <summary>Detaches the program; true also when there was none (ENOENT).</summary>
    public static bool Spread(int fd)
    {
        var unused = 0;
        return Libc.SetSockOpt(fd, SOL_SOCKET, SO_DETACH_REUSEPORT_BPF, &unused, sizeof(int)) == 0 || Libc.Errno == ENOENT;
    }
}
