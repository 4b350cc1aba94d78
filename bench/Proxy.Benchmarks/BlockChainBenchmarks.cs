using BenchmarkDotNet.Attributes;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Benchmarks;

/// <summary>
/// The per-request buffer work of the TCP proxy: a read lands in a block, the block moves to the
/// peer's output chain, the write consumes it. Must stay allocation-free (see the Allocated column).
/// </summary>
[MemoryDiagnoser]
public class BlockChainBenchmarks
{
    private BlockPool _pool = null!;
    private BlockChain _input = null!;
    private BlockChain _output = null!;

    [Params(64, 8192)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pool = new BlockPool();
        _input = new BlockChain();
        _output = new BlockChain();
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark]
    public void ReadMoveWrite()
    {
        _input.GetWritableTail(_pool);
        _input.Commit(PayloadBytes);
        _output.MoveFrom(_input, _pool);
        _output.Consume(_output.Length, _pool);
    }
}
