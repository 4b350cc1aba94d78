using System.Net;
using System.Runtime.InteropServices;
using MeshEdge.Interop;

namespace MeshEdge.Native.Network.Interop;

/// <summary>The client's IP address of an accepted socket as text, for x-forwarded-for and access logs.</summary>
internal static unsafe partial class PeerAddress
{
    [LibraryImport("libc", EntryPoint = "getpeername", SetLastError = true)]
    private static partial int GetPeerName(int fd, byte* address, uint* length);

    /// <summary>Formats the peer's address into a new array (once per connection); empty when it cannot be read.</summary>
    public static byte[] Format(int fd)
    {
        var buffer = stackalloc byte[SockAddr.MaxLength];
        var length = (uint)SockAddr.MaxLength;
        if (GetPeerName(fd, buffer, &length) < 0)
        {
            return [];
        }

        var family = BitConverter.ToUInt16(new ReadOnlySpan<byte>(buffer, 2));
        var address = family == LinuxConstants.AF_INET
            ? new IPAddress(new ReadOnlySpan<byte>(buffer + 4, 4))
            : new IPAddress(new ReadOnlySpan<byte>(buffer + 8, 16));
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> text = stackalloc byte[64];
        return address.TryFormat(text, out var written) ? text[..written].ToArray() : [];
    }
}
