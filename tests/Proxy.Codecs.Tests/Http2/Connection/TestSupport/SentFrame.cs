using MeshEdge.Codecs.Http2;

namespace MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

/// <summary>A frame the connection wrote, copied out for asserting.</summary>
internal sealed record SentFrame(Http2FrameType Type, byte Flags, uint StreamId, byte[] Payload)
{
    public Http2ErrorCode ErrorCode => Type switch
    {
        Http2FrameType.RstStream => (Http2ErrorCode)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Payload),
        Http2FrameType.GoAway => (Http2ErrorCode)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Payload.AsSpan(4)),
        _ => Http2ErrorCode.NoError,
    };

    public uint LastStreamId => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Payload) & 0x7FFF_FFFF;

    public int WindowIncrement => (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Payload) & 0x7FFF_FFFF);

    public bool Has(byte flag) => (Flags & flag) != 0;

    public override string ToString() => Type switch
    {
        Http2FrameType.RstStream => $"RST_STREAM {StreamId} {ErrorCode}",
        Http2FrameType.GoAway => $"GOAWAY {LastStreamId} {ErrorCode}",
        Http2FrameType.WindowUpdate => $"WINDOW_UPDATE {StreamId} {WindowIncrement}",
        Http2FrameType.Settings => Has(Http2FrameFlags.Ack) ? "SETTINGS ACK" : "SETTINGS",
        Http2FrameType.Ping => Has(Http2FrameFlags.Ack) ? "PING ACK" : "PING",
        _ => $"{Type} {StreamId} len={Payload.Length} flags={Flags}",
    };
}
