using CsCheck;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Tests.Runtime;

public sealed class BlockChainTests
{
    [Fact]
    public void Small_pieces_are_coalesced_into_the_tail_and_their_blocks_returned()
    {
        using var pool = new BlockPool(16 * 1024, diagnostic: true);
        var output = new BlockChain();
        for (var i = 0; i < 100; i++)
        {
            var input = new BlockChain();
            Append(input, pool, [(byte)i, (byte)(i + 1)]);
            output.MoveFrom(input, pool);
            Assert.True(input.IsEmpty);
        }

        Assert.Equal(200, output.Length);
        Assert.Equal(1, pool.Outstanding);
        output.Clear(pool);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Large_pieces_move_without_copying()
    {
        using var pool = new BlockPool(16 * 1024, diagnostic: true);
        var input = new BlockChain();
        Append(input, pool, new byte[10_000]);
        var block = input.Head;
        var output = new BlockChain();
        Append(output, pool, [1, 2, 3]);
        output.MoveFrom(input, pool);
        Assert.Same(block, output.Tail);
        Assert.Equal(10_003, output.Length);
        output.Clear(pool);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Consume_returns_emptied_blocks()
    {
        using var pool = new BlockPool(100, diagnostic: true);
        var chain = new BlockChain();
        Append(chain, pool, Enumerable.Range(0, 250).Select(i => (byte)i).ToArray());
        Assert.Equal(3, pool.Outstanding);
        chain.Consume(150, pool);
        Assert.Equal(2, pool.Outstanding);
        Assert.Equal(Enumerable.Range(150, 100).Select(i => (byte)i).ToArray(), chain.ToArrayForTest());
        chain.Consume(100, pool);
        Assert.True(chain.IsEmpty);
        Assert.Null(chain.Head);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void An_empty_tail_left_by_a_read_that_got_nothing_is_trimmed()
    {
        using var pool = new BlockPool(8, diagnostic: true);
        var chain = new BlockChain();
        Append(chain, pool, [1, 2, 3, 4, 5, 6, 7, 8]);
        chain.GetWritableTail(pool);
        Assert.Equal(2, pool.Outstanding);
        chain.TrimEmptyTail(pool);
        Assert.Equal(1, pool.Outstanding);
        Assert.Equal(8, chain.Length);
        chain.Clear(pool);
    }

    /// <summary>Any sequence of appends, moves and consumes keeps the bytes in order and leaks nothing.</summary>
    [Fact]
    public void Random_operations_preserve_the_stream_and_return_every_block()
    {
        var operation = Gen.Select(Gen.Int[0, 2], Gen.Int[1, 40_000]);
        Gen.Select(operation.Array[1, 60], Gen.Int[64, 20_000]).Sample(sample =>
        {
            var (operations, blockSize) = sample;
            using var pool = new BlockPool(blockSize, diagnostic: true);
            var chain = new BlockChain();
            var expected = new List<byte>();
            var next = (byte)0;
            foreach (var (kind, size) in operations)
            {
                if (kind == 2 && chain.Length > 0)
                {
                    var count = Math.Min(size, (int)chain.Length);
                    chain.Consume(count, pool);
                    expected.RemoveRange(0, count);
                    continue;
                }

                var data = new byte[size];
                for (var i = 0; i < size; i++)
                {
                    data[i] = next++;
                }

                expected.AddRange(data);
                if (kind == 0)
                {
                    Append(chain, pool, data);
                }
                else
                {
                    var source = new BlockChain();
                    Append(source, pool, data);
                    chain.MoveFrom(source, pool);
                }
            }

            Assert.Equal(expected.ToArray(), chain.ToArrayForTest());
            chain.Clear(pool);
            Assert.Equal(0, pool.Outstanding);
        }, iter: 200);
    }

    private static unsafe void Append(BlockChain chain, BlockPool pool, byte[] data)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var tail = chain.GetWritableTail(pool);
            var count = Math.Min(tail.Free, data.Length - offset);
            data.AsSpan(offset, count).CopyTo(new Span<byte>(tail.WritePointer, count));
            chain.Commit(count);
            offset += count;
        }
    }
}
