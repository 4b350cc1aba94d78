using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http.Http2;

/// <summary>
/// One worker's idle HTTP/2 downstream streams, each with its exchange and head storage: a stream
/// costs objects once, when the worker first needs that many at the same time, and nothing per
/// request after. Worker-local, so no locking.
/// </summary>
internal sealed class Http2StreamPool(Worker worker)
{
    /// <summary>Idle streams kept beyond this are left to the GC (a burst does not pin its peak forever).</summary>
    private const int MaxIdle = 1024;

    private readonly Stack<Http2DownstreamStream> _idle = new();

    public int Idle => _idle.Count;

    public static Http2StreamPool Of(Worker worker) => worker.Http2Streams;

    public Http2DownstreamStream Rent(Http2DownstreamConnection connection, uint id)
    {
        var stream = _idle.TryPop(out var reused) ? reused : new Http2DownstreamStream(worker, connection.Listener);
        stream.Attach(connection, id);
        return stream;
    }

    public void Return(Http2DownstreamStream stream)
    {
        stream.Exchange.ForgetCluster();
        if (_idle.Count < MaxIdle)
        {
            _idle.Push(stream);
        }
    }
}
