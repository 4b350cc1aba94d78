using System.Runtime.InteropServices;

namespace MeshEdge.Native.Network.Interop;

/// <summary>
/// struct epoll_event is packed (12 bytes, data at offset 4) on x86_64 but naturally aligned
/// (16 bytes, data at offset 8) on arm64, so events are read through a stride and an offset chosen
/// once for the running architecture instead of through one struct declaration.
/// </summary>
internal static unsafe class EpollEventLayout
{
    public static readonly int Size = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    public static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static uint ReadEvents(byte* events, int index) => *(uint*)(events + (index * Size));

    public static ulong ReadData(byte* events, int index)
    {
        // Unaligned on x86_64 (offset 4 of a packed struct); x86 reads it happily.
        return *(ulong*)(events + (index * Size) + DataOffset);
    }

    public static void Write(byte* evt, uint events, ulong data)
    {
        *(uint*)evt = events;
        *(ulong*)(evt + DataOffset) = data;
    }
}
