using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MeshEdge.Interop;

namespace MeshEdge.Native.Network.Interop;

/// <summary>The client's IP address of an accepted socket as text, for x-forwarded-for and access logs.</summary>
internal static unsafe partial class PeerAddress
{
    /// <summary>
    /// The address accept4 just returned, and the fd it is for: set by the listener around its call
    /// to the session factory (on the worker's thread), so that a session starting on that fd reads
    /// the address from there instead of asking the kernel again with getpeername.
    /// </summary>
    [ThreadStatic]
    private static byte* t_acceptedAddress;

    [ThreadStatic]
    private static int t_acceptedFd;

    /// <summary>
    /// The last address formatted on this (worker) thread, raw and as text: clients come from few
    /// addresses, and a connection from the same one as the last shares its (never written) text
    /// instead of keeping a copy of its own.
    /// </summary>
    [ThreadStatic]
    private static byte[]? t_lastText;

    [ThreadStatic]
    private static ushort t_lastFamily;

    [ThreadStatic]
    private static UInt128 t_lastAddress;

    [LibraryImport("libc", EntryPoint = "getpeername", SetLastError = true)]
    private static partial int GetPeerName(int fd, byte* address, uint* length);

    /// <summary>
    /// Makes <paramref name="address"/> (accept4's, valid until <see cref="ForgetAccepted"/>) the
    /// answer for <paramref name="fd"/>. The fd is stored plus one, so that 0 means none.
    /// </summary>
    public static void RememberAccepted(int fd, byte* address)
    {
        t_acceptedAddress = address;
        t_acceptedFd = fd + 1;
    }

    public static void ForgetAccepted()
    {
        t_acceptedAddress = null;
        t_acceptedFd = 0;
    }

    /// <summary>The peer's address as text (once per connection; the array is shared, never written); empty when it cannot be read.</summary>
    public static byte[] Format(int fd)
    {
        var buffer = stackalloc byte[SockAddr.MaxLength];
        if (t_acceptedFd == fd + 1)
        {
            buffer = t_acceptedAddress;
        }
        else
        {
            var length = (uint)SockAddr.MaxLength;
            if (GetPeerName(fd, buffer, &length) < 0)
            {
                return [];
            }
        }

        var family = BitConverter.ToUInt16(new ReadOnlySpan<byte>(buffer, 2));
        var raw = family == LinuxConstants.AF_INET ? Unsafe.ReadUnaligned<uint>(buffer + 4) : Unsafe.ReadUnaligned<UInt128>(buffer + 8);
        if (t_lastText is { } last && t_lastFamily == family && t_lastAddress == raw)
        {
            return last;
        }

        var address = family == LinuxConstants.AF_INET
            ? new IPAddress(new ReadOnlySpan<byte>(buffer + 4, 4))
            : new IPAddress(new ReadOnlySpan<byte>(buffer + 8, 16));
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> text = stackalloc byte[64];
        if (!address.TryFormat(text, out var written))
        {
            return [];
        }

        t_lastFamily = family;
        t_lastAddress = raw;
        return t_lastText = text[..written].ToArray();
    }
}
