namespace MeshEdge.Native.Runtime;

/// <summary>
/// An ordered chain of blocks holding a byte stream: a connection's unread input or its unsent
/// output. Moving a chain hands the blocks over without copying; small pieces are copied into the
/// tail instead, so a stream of tiny reads does not pin one 16 KiB block per read.
/// </summary>
internal sealed unsafe class BlockChain
{
    /// <summary>Pieces up to this size are copied into the tail block rather than linked.</summary>
    private const int CoalesceLimit = 4096;

    public BufferBlock? Head { get; private set; }

    public BufferBlock? Tail { get; private set; }

    /// <summary>Bytes held.</summary>
    public long Length { get; private set; }

    public bool IsEmpty => Length == 0;

    /// <summary>The tail block if it has room, else a new block from the pool appended to the chain.</summary>
    public BufferBlock GetWritableTail(BlockPool pool)
    {
        if (Tail is { Free: > 0 } tail)
        {
            return tail;
        }

        var block = pool.Rent();
        Link(block);
        return block;
    }

    /// <summary>Records that <paramref name="count"/> bytes were written into the tail block.</summary>
    public void Commit(int count)
    {
        Tail!.End += count;
        Length += count;
    }

    /// <summary>Drops an empty tail block (a read that produced nothing) back into the pool.</summary>
    public void TrimEmptyTail(BlockPool pool)
    {
        if (Tail is not { Length: 0 } tail)
        {
            return;
        }

        if (Head == tail)
        {
            Head = Tail = null;
        }
        else
        {
            var previous = Head!;
            while (previous.Next != tail)
            {
                previous = previous.Next!;
            }

            previous.Next = null;
            Tail = previous;
        }

        pool.Return(tail);
    }

    /// <summary>Moves every byte of <paramref name="source"/> to the end of this chain.</summary>
    public void MoveFrom(BlockChain source, BlockPool pool)
    {
        var block = source.Head;
        source.Head = source.Tail = null;
        source.Length = 0;
        while (block is not null)
        {
            var next = block.Next;
            block.Next = null;
            Append(block, pool);
            block = next;
        }
    }

    /// <summary>Takes one unlinked block: linked, or copied into the tail when small enough to fit there.</summary>
    private void Append(BufferBlock block, BlockPool pool)
    {
        var length = block.Length;
        if (length == 0)
        {
            pool.Return(block);
        }
        else if (length <= CoalesceLimit && Tail is { } tail && tail.Free >= length)
        {
            new ReadOnlySpan<byte>(block.ReadPointer, length).CopyTo(new Span<byte>(tail.WritePointer, length));
            tail.End += length;
            Length += length;
            pool.Return(block);
        }
        else
        {
            Link(block);
            Length += length;
        }
    }

    /// <summary>
    /// Moves the first <paramref name="count"/> bytes of <paramref name="source"/> to the end of this
    /// chain: whole blocks are linked (small ones coalesced, as in <see cref="MoveFrom"/>); the piece of a
    /// block that the range cuts through is copied, so that every block keeps a single owner. This is how
    /// one frame is cut off a connection's input and forwarded while the next frame stays behind.
    /// </summary>
    public void MoveFrontFrom(BlockChain source, long count, BlockPool pool)
    {
        while (count > 0 && source.Head is { } head)
        {
            if (head.Length <= count)
            {
                source.Head = head.Next;
                if (source.Head is null)
                {
                    source.Tail = null;
                }

                source.Length -= head.Length;
                count -= head.Length;
                head.Next = null;
                Append(head, pool);
                continue;
            }

            while (count > 0)
            {
                var tail = GetWritableTail(pool);
                var take = (int)Math.Min(count, tail.Free);
                new ReadOnlySpan<byte>(head.ReadPointer, take).CopyTo(new Span<byte>(tail.WritePointer, take));
                Commit(take);
                head.Start += take;
                source.Length -= take;
                count -= take;
            }
        }
    }

    /// <summary>Drops <paramref name="count"/> bytes from the front, returning emptied blocks.</summary>
    public void Consume(long count, BlockPool pool)
    {
        Length -= count;
        while (count > 0)
        {
            var head = Head!;
            var take = (int)Math.Min(count, head.Length);
            head.Start += take;
            count -= take;
            if (head.Length == 0)
            {
                Head = head.Next;
                if (Head is null)
                {
                    Tail = null;
                }

                pool.Return(head);
            }
        }
    }

    /// <summary>Returns every block to the pool.</summary>
    public void Clear(BlockPool pool)
    {
        pool.ReturnChain(Head);
        Head = Tail = null;
        Length = 0;
    }

    /// <summary>Copies the held bytes out (tests and diagnostics only; allocates).</summary>
    public byte[] ToArrayForTest()
    {
        var result = new byte[Length];
        var offset = 0;
        for (var block = Head; block is not null; block = block.Next)
        {
            block.Readable.CopyTo(result.AsSpan(offset));
            offset += block.Length;
        }

        return result;
    }

    private void Link(BufferBlock block)
    {
        block.Next = null;
        if (Tail is null)
        {
            Head = Tail = block;
        }
        else
        {
            Tail.Next = block;
            Tail = block;
        }
    }
}
