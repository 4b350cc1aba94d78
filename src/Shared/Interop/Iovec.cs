namespace MeshEdge.Interop;

/// <summary>struct iovec: one slice of a vectored write.</summary>
internal unsafe struct Iovec
{
    public byte* Base;
    public nuint Length;
}
