using MeshEdge.Codecs.Rpc;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Rpc;

/// <summary>The read side: responses mapped back to their requests, heartbeats both ways.</summary>
internal sealed partial class RpcUpstreamConnection<TCodec>
{
    public void OnData(Connection connection)
    {
        _context.EarlyFlush.BeginRead();
        ReadFrames(connection);
        // The read's last run of responses (RpcFrameRun) leaves with one move.
        _context.Run.Flush();
        _context.EarlyFlush.FlushMarked();
    }

    private void ReadFrames(Connection connection)
    {
        var input = connection.Input;
        var codec = _context.Codec;
        var run = _context.Run;
        long offset;
        // Responses bound for one client stay in the input as a run until it ends; the next frame is
        // read after it.
        while (connection.State == ConnectionState.Open && input.Length > (offset = run.OffsetIn(input)))
        {
            if (input.Length - offset < _awaitedLength)
            {
                // The header said how long the frame is: no need to look again until it is all here.
                return;
            }

            var result = RpcChainFrames.Read(codec, input, offset, out var frame, out var split);
            // A complete frame, and a response to a request in flight, are tested first: nearly
            // every frame is both (the status is looked at once per frame, the kind without a jump table).
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
                _rpcStats.MalformedFrames++;
                Log.Warn("malformed rpc frame from upstream, closing the connection",
                    ("cluster", _pool.Cluster.Name), ("host", Host.Name), ("reason", result.Reason));
                // The responses before it reach their clients before the close fails what is left.
                run.Flush();
                connection.Close(CloseMode.Abort);
                return;
            }

            _awaitedLength = 0;
            if (frame.Kind == RpcFrameKind.Response && _inFlight.Remove(frame.RequestId, out var record))
            {
                var request = _context.Records[record];
                request.State = RpcRequestState.Free;
                // An error status from the server counts against the host as a 5xx does in HTTP.
                _pool.Cluster.Outliers?.ReportStatus(Host, _context.Worker.Id, codec.IsSuccess(frame) ? 200 : 500);
                request.Session!.OnResponse(request, input, frame);
                continue;
            }

            switch (frame.Kind)
            {
                case RpcFrameKind.Response:
                    _rpcStats.UnknownResponses++;
                    run.Consume(input, frame.Length);
                    break;
                case RpcFrameKind.HeartbeatResponse:
                    if (frame.RequestId == _heartbeatId)
                    {
                        _rpcStats.HeartbeatAcks++;
                    }

                    run.Consume(input, frame.Length);
                    break;
                case RpcFrameKind.HeartbeatRequest:
                    codec.WriteHeartbeatReply(frame, _context.Writer);
                    connection.Write(_context.Replies);
                    run.Consume(input, frame.Length);
                    break;
                default:
                    run.Consume(input, frame.Length);
                    break;
            }
        }
    }

    /// <summary>
    /// Sends a heartbeat probe when nothing has moved since <paramref name="idleSinceMs"/>, so that the
    /// server (and any middlebox) keeps an idle pooled connection. Its ack is only counted: a dead
    /// connection shows itself by closing, and its in-flight requests are answered then.
    /// </summary>
    public void HeartbeatIfIdle(long idleSinceMs)
    {
        if (!_open || _connection is not { State: ConnectionState.Open } connection || connection.LastActivityMs > idleSinceMs)
        {
            return;
        }

        _heartbeatId = NextId();
        if (_context.Codec.WriteHeartbeatRequest(_heartbeatId, _context.Writer) > 0)
        {
            connection.Write(_context.Replies);
            _rpcStats.HeartbeatsSent++;
        }
    }
}
