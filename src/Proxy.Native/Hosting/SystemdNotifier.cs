using System.Text;
using MeshEdge.Interop;
using MeshEdge.Native.Network.Interop;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// The sd_notify protocol without libsystemd: one datagram to the Unix socket named by
/// NOTIFY_SOCKET (a path, or an abstract name written with a leading '@'). A no-op when systemd
/// did not ask, so a plain shell start costs nothing.
/// </summary>
internal static unsafe class SystemdNotifier
{
    private const int SunPathLength = 108;

    public static void Ready() => Send($"READY=1\nMAINPID={Environment.ProcessId}\nSTATUS=serving");

    public static void Stopping() => Send("STOPPING=1\nSTATUS=draining");

    /// <summary>Sends <paramref name="state"/>; returns false when there is no socket or the send failed.</summary>
    public static bool Send(string state)
    {
        var socketPath = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(socketPath) || socketPath.Length >= SunPathLength || socketPath[0] is not ('/' or '@'))
        {
            return false;
        }

        var address = stackalloc byte[2 + SunPathLength];
        new Span<byte>(address, 2 + SunPathLength).Clear();
        *(ushort*)address = AF_UNIX;
        var pathLength = Encoding.UTF8.GetBytes(socketPath, new Span<byte>(address + 2, SunPathLength - 1));
        if (socketPath[0] == '@')
        {
            address[2] = 0; // abstract namespace
        }

        var fd = Libc.Socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            var payload = Encoding.UTF8.GetBytes(state);
            fixed (byte* bytes = payload)
            {
                var addressLength = (uint)(2 + pathLength + (socketPath[0] == '@' ? 0 : 1));
                return Libc.SendTo(fd, bytes, (nuint)payload.Length, MSG_NOSIGNAL, address, addressLength) == payload.Length;
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }
}
