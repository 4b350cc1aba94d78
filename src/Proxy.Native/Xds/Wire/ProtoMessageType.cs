using System.Collections.Frozen;

namespace MeshEdge.Native.Xds.Wire;

/// <summary>One message type of the schema: its fields by number; a map's entry type is marked (key 1, value 2).</summary>
internal sealed record ProtoMessageType(string FullName, FrozenDictionary<int, ProtoField> Fields, bool IsMapEntry);
