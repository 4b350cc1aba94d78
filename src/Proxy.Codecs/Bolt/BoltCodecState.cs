using System.Runtime.CompilerServices;
using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Codecs.Bolt;

/// <summary>
/// The Bolt fields a reply must echo, packed into <see cref="RpcFrameInfo.CodecState"/>: the protocol
/// code, v2's ver1 and switch code, and the command version (ver2). A reply in the request's version
/// and CRC setting is what the client's decoder expects.
/// </summary>
internal readonly struct BoltCodecState
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public BoltCodecState(BoltVersion version, byte protocolVersion, byte switchCode, byte commandVersion)
    {
        Version = version;
        ProtocolVersion = protocolVersion;
        SwitchCode = switchCode;
        CommandVersion = commandVersion;
    }

    public BoltVersion Version { get; }

    /// <summary>v2's ver1 byte; 0 in v1 frames.</summary>
    public byte ProtocolVersion { get; }

    /// <summary>v2's switch code; 0 in v1 frames.</summary>
    public byte SwitchCode { get; }

    /// <summary>The ver2 byte (command version, 1 in every known peer).</summary>
    public byte CommandVersion { get; }

    public bool HasCrc => Version == BoltVersion.V2 && (SwitchCode & BoltConstants.CrcSwitchBit) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Pack() => (uint)Version | ((uint)ProtocolVersion << 8) | ((uint)SwitchCode << 16) | ((uint)CommandVersion << 24);

    // Inlined: called for every frame read and every id rewritten, where a call cost more than the shifts.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BoltCodecState Unpack(uint packed) =>
        new((BoltVersion)(packed & 0xFF), (byte)(packed >> 8), (byte)(packed >> 16), (byte)(packed >> 24));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BoltCodecState From(in RpcFrameInfo frame) => Unpack(frame.CodecState);
}
