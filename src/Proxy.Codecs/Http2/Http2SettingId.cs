namespace MeshEdge.Codecs.Http2;

/// <summary>SETTINGS parameters (RFC 9113 §6.5.2, RFC 8441 §3). Unknown ids are ignored (§6.5.2).</summary>
internal enum Http2SettingId : ushort
{
    HeaderTableSize = 0x1,
    EnablePush = 0x2,
    MaxConcurrentStreams = 0x3,
    InitialWindowSize = 0x4,
    MaxFrameSize = 0x5,
    MaxHeaderListSize = 0x6,
    EnableConnectProtocol = 0x8,
}
