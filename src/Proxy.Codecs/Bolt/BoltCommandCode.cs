namespace MeshEdge.Codecs.Bolt;

/// <summary>The Bolt "cmdcode" field (u16).</summary>
internal enum BoltCommandCode : ushort
{
    Heartbeat = 0,
    Request = 1,
    Response = 2,
}
