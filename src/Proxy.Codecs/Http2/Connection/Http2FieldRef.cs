namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>Where one decoded field lies in the connection's pooled field block.</summary>
internal readonly record struct Http2FieldRef(int NameStart, int NameLength, int ValueStart, int ValueLength, bool NeverIndexed);
