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
        _context.EarlyFlush.FlushMarked();
    }

    private void ReadFrames(Connection connection)
    {
        var input = connection.Input;
        var codec = _context.Codec;
        var pool = _context.Worker.Pool;
        while (!input.IsEmpty && connection.State == ConnectionState.Open)
        {
            if (input.Length < _awaitedLength)
            {
                // The header said how long the frame is: no need to look again until it is all here.
                return;
            }

            var result = RpcChainFrames.Read(codec, input, out var frame);
            if (result.Status == RpcReadStatus.NeedMoreData)
            {
                _awaitedLength = result.FrameLength;
                return;
            }

            _awaitedLength = 0;

            if (result.Status == RpcReadStatus.Malformed)
            {
                _rpcStats.MalformedFrames++;
                Log.Warn("malformed rpc frame from upstream, closing the connection",
                    ("cluster", _pool.Cluster.Name), ("host", Host.Name), ("reason", result.Reason));
                connection.Close(CloseMode.Abort);
                return;
            }

            switch (frame.Kind)
            {
                case RpcFrameKind.Response when _inFlight.Remove(frame.RequestId, out var record):
                    var request = _context.Records[record];
                    request.Upstream = null;
                    request.State = RpcRequestState.Free;
                    // An error status from the server counts against the host as a 5xx does in HTTP.
                    _pool.Cluster.Outliers?.ReportStatus(Host, _context.Worker.Id, codec.IsSuccess(frame) ? 200 : 500);
                    request.Session!.OnResponse(request, input, frame);
                    break;
                case RpcFrameKind.Response:
                    _rpcStats.UnknownResponses++;
                    input.Consume(frame.Length, pool);
                    break;
                case RpcFrameKind.HeartbeatResponse:
                    if (frame.RequestId == _heartbeatId)
                    {
                        _rpcStats.HeartbeatAcks++;
                    }

                    input.Consume(frame.Length, pool);
                    break;
                case RpcFrameKind.HeartbeatRequest:
                    codec.WriteHeartbeatReply(frame, _context.Writer);
                    connection.Write(_context.Replies);
                    input.Consume(frame.Length, pool);
                    break;
                default:
                    input.Consume(frame.Length, pool);
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
