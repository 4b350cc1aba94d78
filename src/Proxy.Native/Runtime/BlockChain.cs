using System.Buffers;

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

    /// <summary>Links a fresh block even though the tail has some room (a writer needs more contiguous space).</summary>
    public BufferBlock AppendEmptyBlock(BlockPool pool)
    {
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
            AppendBlock(block, pool);
            block = next;
        }
    }

    /// <summary>
    /// Moves the first <paramref name="count"/> bytes of this chain to the end of
    /// <paramref name="destination"/>: whole blocks are relinked, a block cut in two has its front
    /// part copied (a body that ends inside a block followed by the next pipelined message).
    /// </summary>
    public void MovePrefixTo(BlockChain destination, long count, BlockPool pool)
    {
        if (Head is { } first && count < first.Length && destination.Tail is { } tail && tail.Free >= count)
        {
            // One frame of several in the head block, into the room left in the destination's tail:
            // the case of every forwarded frame but a block's last, done with one copy and none of
            // the loop's tail lookups.
            var length = (int)count;
            new ReadOnlySpan<byte>(first.ReadPointer, length).CopyTo(new Span<byte>(tail.WritePointer, length));
            tail.End += length;
            destination.Length += length;
            first.Start += length;
            Length -= length;
            return;
        }

        while (count > 0)
        {
            var head = Head!;
            if (head.Length <= count)
            {
                Head = head.Next;
                if (Head is null)
                {
                    Tail = null;
                }

                Length -= head.Length;
                count -= head.Length;
                head.Next = null;
                destination.AppendBlock(head, pool);
                continue;
            }

            var part = new ReadOnlySpan<byte>(head.ReadPointer, (int)count);
            destination.AppendCopy(part, pool);
            head.Start += (int)count;
            Length -= count;
            count = 0;
        }
    }

    /// <summary>Copies <paramref name="bytes"/> to the end of the chain, across blocks as needed.</summary>
    public void AppendCopy(ReadOnlySpan<byte> bytes, BlockPool pool)
    {
        while (!bytes.IsEmpty)
        {
            var tail = GetWritableTail(pool);
            var take = Math.Min(bytes.Length, tail.Free);
            bytes[..take].CopyTo(tail.WritableSpan);
            Commit(take);
            bytes = bytes[take..];
        }
    }

    /// <summary>Links <paramref name="block"/> at the end, or copies it into the tail when it is small and fits.</summary>
    private void AppendBlock(BufferBlock block, BlockPool pool)
    {
        block.Next = null;
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

    /// <summary>Copies up to <paramref name="destination"/>'s length from the front into it and drops what was copied; returns the count.</summary>
    public int ConsumeInto(Span<byte> destination, BlockPool pool)
    {
        var copied = 0;
        while (copied < destination.Length && Head is { } head)
        {
            var take = Math.Min(destination.Length - copied, head.Length);
            new ReadOnlySpan<byte>(head.ReadPointer, take).CopyTo(destination[copied..]);
            copied += take;
            Consume(take, pool);
        }

        return copied;
    }

    /// <summary>Returns every block to the pool.</summary>
    public void Clear(BlockPool pool)
    {
        pool.ReturnChain(Head);
        Head = Tail = null;
        Length = 0;
    }

    /// <summary>
    /// The held bytes as a sequence over the blocks themselves, built from each block's reused
    /// segment: no copy, no allocation. Valid until the chain next changes.
    /// </summary>
    public ReadOnlySequence<byte> AsSequence()
    {
        var head = Head;
        if (head is null)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (head.Next is null)
        {
            return new ReadOnlySequence<byte>(head.Segment.Slice(head.Start, head.Length));
        }

        long running = 0;
        var last = head;
        for (var block = head; block is not null; block = block.Next)
        {
            // The successor's segment object already exists; its own fields are set next iteration.
            block.Segment.Set(block.Start, block.Length, running, block.Next?.Segment);
            running += block.Length;
            last = block;
        }

        return new ReadOnlySequence<byte>(head.Segment, 0, last.Segment, last.Length);
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
