namespace MeshEdge.Codecs.Bolt;

/// <summary>The Bolt "type" byte.</summary>
internal enum BoltCommandType : byte
{
    Response = 0,
    Request = 1,
    Oneway = 2,
}
