using System.Buffers.Binary;

namespace MeshEdge.Codecs.Http2;

/// <summary>One SETTINGS entry: a 16-bit id and a 32-bit value (RFC 9113 §6.5.1).</summary>
internal readonly record struct Http2Setting(Http2SettingId Id, uint Value)
{
    public static Http2Setting Read(ReadOnlySpan<byte> entry) =>
        new((Http2SettingId)BinaryPrimitives.ReadUInt16BigEndian(entry), BinaryPrimitives.ReadUInt32BigEndian(entry[2..]));

    public int Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Id);
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], Value);
        return Http2Constants.SettingLength;
    }

    /// <summary>The range checks of §6.5.2 (and RFC 8441 §3); unknown ids pass, to be ignored.</summary>
    public Http2Error Validate() => Id switch
    {
        Http2SettingId.EnablePush or Http2SettingId.EnableConnectProtocol when Value > 1 =>
            Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.InvalidSettingFlag),
        Http2SettingId.InitialWindowSize when Value > Http2Constants.MaxWindowSize =>
            Http2Error.Connection(Http2ErrorCode.FlowControlError, Http2ErrorReason.InitialWindowSizeTooLarge),
        Http2SettingId.MaxFrameSize when Value is < Http2Constants.DefaultMaxFrameSize or > Http2Constants.MaxAllowedFrameSize =>
            Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.InvalidMaxFrameSize),
        _ => Http2Error.None,
    };
}
