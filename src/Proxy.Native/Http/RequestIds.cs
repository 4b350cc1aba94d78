using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http;

/// <summary>Fresh x-request-id values: 128 random bits as 32 lower-case hex digits, written in place.</summary>
internal static class RequestIds
{
    public static void Write(FastRandom random, Span<byte> destination)
    {
        var high = random.NextUInt64();
        var low = random.NextUInt64();
        high.TryFormat(destination[..16], out _, "x16");
        low.TryFormat(destination[16..], out _, "x16");
    }
}
