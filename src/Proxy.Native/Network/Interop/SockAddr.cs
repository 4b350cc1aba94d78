using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MeshEdge.Interop;

namespace MeshEdge.Native.Network.Interop;

/// <summary>Writes and reads sockaddr_in / sockaddr_in6 in a caller's buffer (28 bytes is enough).</summary>
internal static unsafe class SockAddr
{
    public const int MaxLength = 28;

    /// <summary>Encodes an endpoint; returns the sockaddr length.</summary>
    public static uint Write(IPEndPoint endpoint, byte* buffer)
    {
        new Span<byte>(buffer, MaxLength).Clear();
        var span = new Span<byte>(buffer, MaxLength);
        if (endpoint.AddressFamily == AddressFamily.InterNetwork)
        {
            BitConverter.TryWriteBytes(span, (ushort)LinuxConstants.AF_INET);
            BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)endpoint.Port);
            endpoint.Address.TryWriteBytes(span.Slice(4, 4), out _);
            return 16;
        }

        BitConverter.TryWriteBytes(span, (ushort)LinuxConstants.AF_INET6);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)endpoint.Port);
        endpoint.Address.TryWriteBytes(span.Slice(8, 16), out _);
        BitConverter.TryWriteBytes(span[24..], (uint)endpoint.Address.ScopeId);
        return 28;
    }

    public static IPEndPoint Read(byte* buffer)
    {
        var span = new ReadOnlySpan<byte>(buffer, MaxLength);
        var family = BitConverter.ToUInt16(span);
        var port = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        return family == LinuxConstants.AF_INET
            ? new IPEndPoint(new IPAddress(span.Slice(4, 4)), port)
            : new IPEndPoint(new IPAddress(span.Slice(8, 16), BitConverter.ToUInt32(span[24..])), port);
    }

    /// <summary>A hash of the IP address alone (not the port), without building an IPAddress.</summary>
    public static ulong HashAddress(byte* buffer)
    {
        var span = new ReadOnlySpan<byte>(buffer, MaxLength);
        return BitConverter.ToUInt16(span) == LinuxConstants.AF_INET
            ? Upstream.HostHash.Of(span.Slice(4, 4))
            : Upstream.HostHash.Of(span.Slice(8, 16));
    }
}
