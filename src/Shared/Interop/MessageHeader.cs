namespace MeshEdge.Interop;

/// <summary>struct msghdr (same layout on x86_64 and arm64).</summary>
internal unsafe struct MessageHeader
{
    public byte* Name;
    public uint NameLength;
    public Iovec* Vectors;
    public nuint VectorCount;
    public byte* Control;
    public nuint ControlLength;
    public int Flags;
}
