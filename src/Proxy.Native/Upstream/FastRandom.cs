namespace MeshEdge.Native.Upstream;

/// <summary>
/// xorshift64* : a small, fast generator owned by one worker. System.Random would do, but a
/// struct-free class with one ulong keeps balancers cheap and their sequences reproducible in tests.
/// </summary>
internal sealed class FastRandom(ulong seed)
{
    private ulong _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;

    public ulong NextUInt64()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }

    /// <summary>A value in [0, bound), without modulo bias worth caring about at these sizes.</summary>
    public int Next(int bound) => (int)((NextUInt64() >> 33) * (ulong)bound >> 31);
}
