namespace MeshEdge.Codecs.Bolt;

/// <summary>The Bolt response status (u16), numbered as SOFA's ResponseStatus.</summary>
internal enum BoltResponseStatus : ushort
{
    Success = 0x0000,
    Error = 0x0001,
    ServerException = 0x0002,
    Unknown = 0x0003,
    ServerThreadpoolBusy = 0x0004,
    ErrorComm = 0x0005,
    NoProcessor = 0x0006,
    Timeout = 0x0007,
    ClientSendError = 0x0008,
    CodecException = 0x0009,
    ConnectionClosed = 0x0010,
    ServerSerialException = 0x0011,
    ServerDeserialException = 0x0012,
}
