using System.Diagnostics;
using System.Runtime.CompilerServices;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// Consecutive frames at the front of one chain (a connection's input, or a request's own chain on a
/// retry) bound for one connection, moved to that connection's output together once the run ends,
/// rather than frame by frame. Each frame is decided (routed, its id rewritten in place) while it
/// still lies in the source; the next frame is read at the run's length into the source. One move
/// per run relinks whole blocks (a 16 KiB block of frames changes owner without a copy) and queues
/// the output once, where moving each frame copied it into the output's tail and queued it again.
/// </summary>
/// <remarks>
/// One per worker context: a worker handles one read at a time, so one run is open at most. The run
/// ends (<see cref="Flush"/>) when a frame goes elsewhere, when anything else is done with the source
/// (a frame dropped or held, a reply written, a connection closed: <see cref="Consume"/> and
/// <see cref="MovePrefixTo"/> end it first), and at the end of the read that opened it, so between
/// events no run is open: outputs, in-flight tables and a migrating session's input are as if each
/// frame had moved alone.
/// </remarks>
internal sealed class RpcFrameRun(RpcEarlyFlush earlyFlush, BlockPool pool)
{
    private BlockChain? _source;
    private Connection? _target;
    private long _length;

    /// <summary>The run's bytes: the front of its source.</summary>
    public long Length => _length;

    /// <summary>Where the next frame of <paramref name="source"/> starts: after the run when the run is that chain's, else at its front.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long OffsetIn(BlockChain source) => ReferenceEquals(source, _source) ? _length : 0;

    /// <summary>
    /// The frame of <paramref name="length"/> bytes at <see cref="OffsetIn"/> of <paramref name="source"/>
    /// joins the run to <paramref name="target"/>; a run that was another source's or bound elsewhere ends first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(BlockChain source, Connection target, int length)
    {
        if (!ReferenceEquals(target, _target) || !ReferenceEquals(source, _source))
        {
            Restart(source, target);
        }

        _length += length;
    }

    /// <summary>Drops the <paramref name="count"/> bytes of the frame at the front of <paramref name="source"/> once the run ahead of it has moved.</summary>
    public void Consume(BlockChain source, long count)
    {
        Flush();
        source.Consume(count, pool);
    }

    /// <summary>Moves the frame at the front of <paramref name="source"/> to <paramref name="destination"/> once the run ahead of it has moved.</summary>
    public void MovePrefixTo(BlockChain source, BlockChain destination, long count)
    {
        Flush();
        source.MovePrefixTo(destination, count, pool);
    }

    /// <summary>Moves the run's bytes to its target's output (one move, one flush mark) and ends it.</summary>
    public void Flush()
    {
        var length = _length;
        if (length == 0)
        {
            return;
        }

        _length = 0;
        var target = _target!;
        Debug.Assert(_source!.Length >= length, "a run's source lost bytes while the run was open");
        target.Write(_source!, length);
        earlyFlush.Mark(target);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Restart(BlockChain source, Connection target)
    {
        Flush();
        _source = source;
        _target = target;
    }
}
