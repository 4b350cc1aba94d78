namespace MeshEdge.Codecs.Bolt;

/// <summary>The protocol code in a Bolt frame's first byte.</summary>
internal enum BoltVersion : byte
{
    /// <summary>Bolt v1: a 22-byte request header, a 20-byte response header.</summary>
    V1 = 0x01,

    /// <summary>Bolt v2: ver1 and switch-code bytes added (24 / 22 bytes), optional CRC32 trailer.</summary>
    V2 = 0x02,
}
