using System.Buffers;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Http;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// One client connection of an RPC listener. The codec cuts its input into frames; heartbeats are
/// answered here; requests are routed on their headers and handed to the worker's pool for their
/// cluster, which forwards the frame's bytes untouched but for the request id. Responses come back
/// through <see cref="OnResponse"/>, failures through <see cref="Fail"/> as protocol-correct error
/// responses. Generic over the codec, so Dubbo or any other multiplexed protocol fits unchanged.
/// </summary>
internal sealed partial class RpcDownstreamSession<TCodec> : IConnectionHandler, IDrainable, IOutputEmptyObserver
    where TCodec : struct, IRpcCodec
{
    private readonly RpcWorkerContext<TCodec> _context;
    private readonly ListenerRuntime _listener;
    private readonly ListenerStats _listenerStats;
    private readonly ulong _clientHash;

    /// <summary>The client's address as the access log prints it; formatted once per connection, only when there is a log.</summary>
    private byte[] _clientAddress = [];
    private Connection _downstream = null!;

    /// <summary>The session's open requests: the first one's record index, the rest linked from it (<see cref="RpcRequest{TCodec}.SessionNext"/>).</summary>
    private int _firstRequest = RpcRequestRecords<TCodec>.None;
    private int _requestCount;

    /// <summary>
    /// Records of this session's answered calls, reset, which its next requests take before the
    /// worker's free list (given back when the session ends). A record taken back by the session
    /// that used it last keeps its session, upstream connection, host and method pair, so its next
    /// request stores none of them: each stored reference is a GC write barrier. From the shared
    /// free list, with two clients, nearly every record came from the other client's calls.
    /// </summary>
    private int _spareRecords = RpcRequestRecords<TCodec>.None;

    /// <summary>Where the frame being handled starts in the input: after the run of frames taken before it (<see cref="RpcFrameRun"/>).</summary>
    private long _frameOffset;

    /// <summary>The upstream connection the last request of the read being handled went to, checked for congestion when the read's run has moved.</summary>
    private RpcUpstreamConnection<TCodec>? _lastUpstream;

    /// <summary>The length of the frame the input's front was found to hold, counted from where it starts; 0 when unknown.</summary>
    private long _awaitedLength;
    private bool _closeWhenIdle;
    private bool _pausedForUpstream;
    private bool _finished;
    private bool _migrating;

    public RpcDownstreamSession(RpcWorkerContext<TCodec> context, ListenerRuntime listener, ulong clientHash)
    {
        _context = context;
        _listener = listener;
        _listenerStats = context.Worker.Stats.Listeners[listener.Index];
        _clientHash = clientHash;
    }

    /// <summary>Which of a host's connections this session's calls take (<c>connection_affinity = "client"</c>); set when it starts.</summary>
    public int Ordinal { get; private set; }

    private bool IsOpen => _downstream.State == ConnectionState.Open;

    public void Start(int fd)
    {
        _listenerStats.ConnectionsActive++;
        Ordinal = _context.SessionStarted();
        NoteClientAddress(fd);
        _downstream = Connection.Accepted(_context.Worker, fd, this, _listener.Config.BufferLimitBytes, _listenerStats, _listener.Tls);
    }

    public void OnData(Connection connection)
    {
        _context.EarlyFlush.BeginRead();
        ReadFrames();
        // The read's last run of frames leaves with one move; then the client pauses if its upstream
        // connection is backed up (checked per request too, against the runs moved before).
        _context.Run.Flush();
        if (_lastUpstream is { } upstream)
        {
            _lastUpstream = null;
            if (upstream is { IsCongested: true, IsUsable: true })
            {
                PauseForUpstream(upstream);
            }
        }

        _context.EarlyFlush.FlushMarked();
    }

    private void ReadFrames()
    {
        var input = _downstream.Input;
        var codec = _context.Codec;
        var run = _context.Run;
        // Frames bound for one upstream connection stay in the input as a run (RpcFrameRun) until it
        // ends; the next frame is read after it, at _frameOffset.
        while (IsOpen && !_migrating && input.Length > (_frameOffset = run.OffsetIn(input)))
        {
            if (input.Length - _frameOffset < _awaitedLength)
            {
                // The header said how long the frame is: no need to look again until it is all here.
                return;
            }

            // A request's header block is checked by the routing step, in its walk for the names (or
            // not at all when it equals the last block routed): see Route.
            var result = RpcChainFrames.Read(codec, input, _frameOffset, out var frame, out var split, RpcFrameCheck.AllButRequestHeaders);
            // A complete request is tested first: nearly every frame is one (the status is looked at
            // once per frame, the kind without a jump table).
            if (result.Status != RpcReadStatus.Complete)
            {
                if (result.Status == RpcReadStatus.NeedMoreData)
                {
                    if (split)
                    {
                        // It goes on in the next block: read it from the front once the run ahead of it has moved.
                        run.Flush();
                        continue;
                    }

                    _awaitedLength = result.FrameLength;
                    return;
                }

                _awaitedLength = 0;
                CloseMalformed(result.Reason);
                return;
            }

            _awaitedLength = 0;
            if (frame.Kind is RpcFrameKind.Request or RpcFrameKind.Oneway)
            {
                OnRequest(frame);
                continue;
            }

            switch (frame.Kind)
            {
                case RpcFrameKind.HeartbeatRequest:
                    codec.WriteHeartbeatReply(frame, _context.Writer);
                    _downstream.Write(_context.Replies);
                    _context.EarlyFlush.Mark(_downstream);
                    run.Consume(input, frame.Length);
                    _context.ListenerStats.HeartbeatsAnswered++;
                    break;
                default:
                    // A response or heartbeat ack from a client answers nothing the proxy sent it.
                    run.Consume(input, frame.Length);
                    break;
            }
        }
    }

    /// <summary>A connection the previous process handed over, with the bytes it had read but not processed.</summary>
    public void Adopt(int fd, byte[] pending)
    {
        _listenerStats.ConnectionsActive++;
        Ordinal = _context.SessionStarted();
        _context.ListenerStats.ConnectionsAdopted++;
        NoteClientAddress(fd);
        _downstream = Connection.Adopted(_context.Worker, fd, this, _listener.Config.BufferLimitBytes, _listenerStats, pending);
        if (!_downstream.Input.IsEmpty)
        {
            OnData(_downstream);
        }

        if (_context.Worker.IsDraining && IsOpen)
        {
            // Stopping already (a signal came during the migration): drain like every other session.
            OnDrain(_downstream);
        }
    }

    /// <summary>The client sent bytes that can never be a frame: counted, and its connection closed (nothing is answered).</summary>
    private void CloseMalformed(RpcMalformedReason reason)
    {
        _context.ListenerStats.MalformedFrames++;
        if (Log.DebugEnabled)
        {
            Log.Debug("malformed rpc frame, closing the connection", ("listener", _listener.Name), ("protocol", _context.Codec.Name), ("reason", reason));
        }

        // The frames before it were taken: they go upstream before the close drops the input.
        _context.Run.Flush();
        _downstream.Close(CloseMode.Abort);
    }

    private void OnRequest(in RpcFrameInfo frame)
    {
        var request = _context.RentRequest(ref _spareRecords);
        request.Info = frame;
        request.ClientHash = _clientHash;
        Link(request);
        // The frame's bytes, found once for the routing step and the id rewrite: empty when the frame
        // goes on past the input's head block (each step then reads the chain).
        var bytes = RpcChainFrames.HeadSlice(_downstream.Input, _frameOffset, frame.Length);
        var route = Route(request, bytes, out var routeTimeoutMs);
        if (route == MalformedHeaders)
        {
            _context.Release(request);
            CloseMalformed(RpcMalformedReason.HeaderOverrun);
            return;
        }

        var stats = _context.ListenerStats;
        if (frame.Kind == RpcFrameKind.Oneway)
        {
            stats.Oneway++;
        }
        else
        {
            stats.Requests++;
        }

        // HasCluster is also false for -1 (no cluster), and for a retired cluster this worker let go
        // of, which the routes of a removed listener (its draining connections) may still name.
        var clusterIndex = _context.Worker.StandbyCluster(route);
        if (!_context.Worker.HasCluster(clusterIndex))
        {
            _context.Run.Consume(_downstream.Input, frame.Length);
            Fail(request, RpcErrorKind.NoRoute);
            return;
        }

        request.ClusterIndex = clusterIndex;
        if (!_context.Worker.Overload.TryAdmit(rpc: true) || !_context.TryTakeRequestSlot(request))
        {
            // Over the memory budget, or the cluster's max_requests is reached: the overloaded reply now, not a queue.
            _context.Run.Consume(_downstream.Input, frame.Length);
            Fail(request, RpcErrorKind.Overloaded);
            return;
        }

        if (frame.ExpectsResponse)
        {
            StartTimeout(request, frame.TimeoutMilliseconds > 0 ? frame.TimeoutMilliseconds : routeTimeoutMs);
        }

        var pool = _context.PoolFor(clusterIndex);
        pool.Send(request, _downstream.Input, bytes);
        if (request.State != RpcRequestState.Free && request.Upstream is { } upstream)
        {
            if (!ReferenceEquals(_lastUpstream, upstream))
            {
                _lastUpstream = upstream;
            }

            if (upstream.IsCongested)
            {
                PauseForUpstream(upstream);
            }
        }
    }

    /// <summary>
    /// The upstream connection is backed up: take no more requests from this client until it drains,
    /// rather than queue without bound. Seen per request, and when the read's run has moved (the bytes
    /// of one read at most are queued past the high watermark before the pause).
    /// </summary>
    private void PauseForUpstream(RpcUpstreamConnection<TCodec> upstream)
    {
        if (!_pausedForUpstream)
        {
            _pausedForUpstream = true;
            _downstream.ReadDisable(true);
            upstream.AddWaiter(this);
        }
    }

    /// <summary>
    /// The response to <paramref name="request"/> is the first <paramref name="response"/>.Length bytes of
    /// <paramref name="upstreamInput"/>: it gets the client's id back and moves to the client's output.
    /// </summary>
    public void OnResponse(RpcRequest<TCodec> request, BlockChain upstreamInput, in RpcFrameInfo response)
    {
        var codec = _context.Codec;
        var clusterStats = _context.ClusterStats[request.ClusterIndex];
        if (codec.IsSuccess(response))
        {
            _context.ListenerStats.ResponsesSuccess++;
            clusterStats.ResponsesSuccess++;
        }
        else
        {
            _context.ListenerStats.ResponsesError++;
            clusterStats.ResponsesError++;
        }

        var run = _context.Run;
        if (IsOpen && RpcChainFrames.TrySetRequestId(codec, upstreamInput, run.OffsetIn(upstreamInput), response, request.Info.RequestId))
        {
            // It joins the run of responses bound for this client, moved when the run ends.
            run.Add(upstreamInput, _downstream, response.Length);
            Record(request, response.Status, ResponseFlags.None, response.Length);
        }
        else
        {
            run.Consume(upstreamInput, response.Length);
            Record(request, -1, ResponseFlags.DownstreamClosed, 0);
        }

        Finish(request);
    }

    /// <summary>The upstream connection this session waited for drained: take requests again.</summary>
    public void ResumeFromUpstream()
    {
        if (_pausedForUpstream)
        {
            _pausedForUpstream = false;
            _downstream.ReadDisable(false);
        }
    }

    public void OnReadEof(Connection connection)
    {
        // The client sends no more; answer what it is still waiting for, then close.
        if (_requestCount == 0)
        {
            _downstream.Close(CloseMode.FlushWrite);
        }
        else
        {
            _closeWhenIdle = true;
        }
    }

    /// <summary>
    /// The worker drains: take no new requests, answer those in flight, then close, so a drain ends
    /// when the calls do rather than at the deadline (clients reconnect to the next process).
    /// </summary>
    public void OnDrain(Connection connection)
    {
        _downstream.ReadDisable(true);
        if (_context.Worker.Migration is not null)
        {
            if (CanMigrate())
            {
                BeginMigration();
                return;
            }

            // The successor takes live connections, but not this one: it drains here.
            _context.ListenerStats.MigrationFallbacks++;
        }

        if (_requestCount == 0)
        {
            _downstream.Close(CloseMode.FlushWrite);
        }
        else
        {
            _closeWhenIdle = true;
        }
    }

    public void OnAboveHighWatermark(Connection connection) => _downstream.ReadDisable(true);

    public void OnBelowLowWatermark(Connection connection) => _downstream.ReadDisable(false);

    public void OnClosed(Connection connection, CloseReason reason)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        // Nobody is left to answer: requests in flight are forgotten, late responses dropped.
        while (_firstRequest >= 0)
        {
            var request = _context.Records[_firstRequest];
            if (request.State != RpcRequestState.Free)
            {
                request.Upstream!.Forget(request);
            }

            Record(request, -1, ResponseFlags.DownstreamClosed, 0);
            _context.Release(request);
        }

        EndSession();
    }

    /// <summary>The session's share of the listener and worker ends (closed, or moved to the next process).</summary>
    private void EndSession()
    {
        StopTimeouts();
        _context.Records.ReturnSpares(ref _spareRecords);
        _listenerStats.ConnectionsActive--;
        _listener.Connections.Release();
        _context.SessionEnded(Ordinal);
    }

    private void NoteClientAddress(int fd)
    {
        if (_context.AccessLog is not null)
        {
            _clientAddress = Network.Interop.PeerAddress.Format(fd);
        }
    }

    public void OnConnected(Connection connection)
    {
    }

    public void OnConnectFailed(Connection connection, int errno)
    {
    }
}
