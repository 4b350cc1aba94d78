using System.Buffers;

namespace MeshEdge.Fuzz;

/// <summary>
/// A pool that counts what is out, so a target can check that every array rented was given back, and
/// that nothing was given back twice or that it never handed out.
/// </summary>
internal sealed class CountingPool : ArrayPool<byte>
{
    private readonly HashSet<byte[]> _out = new(ReferenceEqualityComparer.Instance);

    public int Outstanding => _out.Count;

    public override byte[] Rent(int minimumLength)
    {
        var array = Shared.Rent(minimumLength);
        Invariant.Holds(_out.Add(array), "a rented array is not already out");
        return array;
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        Invariant.Holds(_out.Remove(array), "a returned array was rented and not yet returned");
        Shared.Return(array, clearArray);
    }
}
