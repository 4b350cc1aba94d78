namespace MeshEdge.Native.Xds.Wire;

/// <summary>One field: its number, its proto name (the key the Envoy translators read), its type and, for a message or enum, the type's full name.</summary>
internal sealed record ProtoField(int Number, string Name, ProtoFieldType Type, string TypeName, bool Repeated);
