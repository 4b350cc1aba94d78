using System.Buffers;
using CsCheck;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Tests.Runtime;

/// <summary>
/// Cutting one frame off a connection's input (<see cref="BlockChain.MovePrefixTo"/>) and reading a chain as a
/// <see cref="ReadOnlySequence{T}"/> (<see cref="BlockChain.AsSequence"/>): what the RPC session does per frame.
/// </summary>
public sealed class BlockChainPrefixMoveTests
{
    [Fact]
    public void Any_cut_keeps_every_byte_in_order_and_every_block_owned_once()
    {
        Gen.Select(Gen.Int[1, 60_000], Gen.Int[0, 70_000], Gen.Int[0, 5_000], Gen.Int[64, 20_000]).Sample((length, cut, prefill, blockSize) =>
        {
            cut = Math.Min(cut, length);
            using var pool = new BlockPool(blockSize, diagnostic: true);
            var data = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
            var source = new BlockChain();
            Append(source, pool, data);
            var target = new BlockChain();
            Append(target, pool, new byte[prefill]);

            source.MovePrefixTo(target, cut, pool);

            Assert.Equal(prefill + cut, target.Length);
            Assert.Equal(length - cut, source.Length);
            Assert.Equal(data[..cut], target.ToArrayForTest()[prefill..]);
            Assert.Equal(data[cut..], source.ToArrayForTest());
            source.Clear(pool);
            target.Clear(pool);
            Assert.Equal(0, pool.Outstanding);
        });
    }

    [Fact]
    public void A_whole_block_at_the_front_moves_without_copying()
    {
        using var pool = new BlockPool(100, diagnostic: true);
        var source = new BlockChain();
        Append(source, pool, new byte[250]);
        var first = source.Head;
        var target = new BlockChain();

        source.MovePrefixTo(target, 100, pool);

        Assert.Same(first, target.Head);
        Assert.Equal(150, source.Length);
        source.Clear(pool);
        target.Clear(pool);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void A_sequence_over_a_chain_sees_its_bytes_across_blocks()
    {
        using var pool = new BlockPool(64, diagnostic: true);
        var data = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var chain = new BlockChain();
        Append(chain, pool, data);
        chain.Consume(10, pool);

        var sequence = chain.AsSequence();

        Assert.False(sequence.IsSingleSegment);
        Assert.Equal(data[10..], sequence.ToArray());
        Assert.Equal(data[100..140], sequence.Slice(90, 40).ToArray());
        chain.Clear(pool);
        Assert.True(chain.AsSequence().IsEmpty);
    }

    [Fact]
    public void Writing_through_the_sequence_changes_the_chain_in_place()
    {
        using var pool = new BlockPool(64, diagnostic: true);
        var chain = new BlockChain();
        Append(chain, pool, new byte[100]);

        // The RPC session rewrites request ids this way; a write straddling two blocks must land in both.
        byte value = 1;
        foreach (var segment in chain.AsSequence().Slice(62, 4))
        {
            var span = System.Runtime.InteropServices.MemoryMarshal.AsMemory(segment).Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = value++;
            }
        }

        var bytes = chain.ToArrayForTest();
        Assert.Equal([1, 2, 3, 4], bytes[62..66]);
        chain.Clear(pool);
    }

    private static unsafe void Append(BlockChain chain, BlockPool pool, byte[] data)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var block = chain.GetWritableTail(pool);
            var n = Math.Min(block.Free, data.Length - offset);
            data.AsSpan(offset, n).CopyTo(new Span<byte>(block.WritePointer, n));
            chain.Commit(n);
            offset += n;
        }
    }
}
