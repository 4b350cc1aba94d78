using System.Runtime.CompilerServices;

namespace MeshEdge.Codecs.Bolt;

/// <summary>
/// Field offsets of the fixed header. v2 is v1 with ver1 inserted after the protocol code and the
/// switch code after the codec, so every offset is v1's plus 0, 1 or 2; requests carry a 4-byte
/// timeout where responses carry a 2-byte status, which shifts the three lengths after it.
/// </summary>
internal static class BoltLayout
{
    public const int V2ProtocolVersionOffset = 1;
    public const int V2SwitchCodeOffset = 11;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TypeOffset(BoltVersion version) => version == BoltVersion.V1 ? 1 : 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CommandCodeOffset(BoltVersion version) => version == BoltVersion.V1 ? 2 : 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CommandVersionOffset(BoltVersion version) => version == BoltVersion.V1 ? 4 : 5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RequestIdOffset(BoltVersion version) => version == BoltVersion.V1 ? 5 : 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CodecOffset(BoltVersion version) => version == BoltVersion.V1 ? 9 : 10;

    /// <summary>Where a request's timeout (i32) or a response's status (u16) sits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TimeoutOrStatusOffset(BoltVersion version) => version == BoltVersion.V1 ? 10 : 12;

    /// <summary>Where classLen (u16), headerLen (u16) and contentLen (u32) start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LengthsOffset(BoltVersion version, bool isResponse) =>
        TimeoutOrStatusOffset(version) + (isResponse ? 2 : 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FixedHeaderLength(BoltVersion version, bool isResponse) => LengthsOffset(version, isResponse) + 8;
}
