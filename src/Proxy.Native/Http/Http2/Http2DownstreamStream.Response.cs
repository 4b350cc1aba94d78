using MeshEdge.Codecs.Http2;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http.Http2;

/// <summary>
/// Writing: the exchange's response as HEADERS, DATA within the flow-control windows and trailing
/// HEADERS. DATA the windows do not take waits in the stream's own queue until the client opens
/// them; above the listener's buffer limit the exchange holds its upstream, as it does for an h1
/// socket above its watermark.
/// </summary>
internal sealed partial class Http2DownstreamStream : IDownstreamStream
{
    // Response DATA the windows did not take yet, and what ends the response once it has gone.
    private readonly BlockChain _output = new();
    private readonly HeaderBlock _responseTrailers = new();
    private bool _endQueued;
    private bool _responseEnded;
    private bool _finished;
    private bool _omitBody;
    private bool _aboveWatermark;

    // The stream no longer exists on the wire (reset by either side): nothing more is sent on it.
    private bool _gone;

    public RequestHead Head => _head;

    public bool Secure => _connection.Secure;

    public Tls.TlsPeerIdentity? Peer => _connection.Peer;

    public ReadOnlySpan<byte> ClientAddress => _connection.ClientAddress;

    public ulong ClientHash => _connection.ClientHash;

    public void SendLocalReply(in LocalReply reply)
    {
        if (_gone)
        {
            return;
        }

        var body = reply.Kind == LocalReplyKind.Redirect || _omitBody ? default : reply.Body;
        Http2ResponseFields.AddLocalReply(Frames, reply, _head, Secure);
        var sent = Frames.SendHeaders(Id, endStream: body.IsEmpty, _connection.Writer);
        if (!sent || body.IsEmpty)
        {
            _responseEnded = true;
            return;
        }

        _output.AppendCopy(body, _worker.Pool);
        _endQueued = true;
        SendQueued();
    }

    public void SendResponseHead(ResponseHead head, bool endStream)
    {
        if (_gone)
        {
            return;
        }

        Http2ResponseFields.AddStatus(Frames, head.Status);
        Http2ResponseFields.AddFields(Frames, head);
        var final = !head.IsInterim;
        if (!Frames.SendHeaders(Id, endStream && final, _connection.Writer))
        {
            return;
        }

        _responseEnded = endStream && final;
        _connection.FlushOutput();
    }

    public void SendResponseData(BlockChain source, long count)
    {
        if (_gone || _omitBody)
        {
            source.Consume(count, _worker.Pool);
            return;
        }

        source.MovePrefixTo(_output, count, _worker.Pool);
        SendQueued();
    }

    public void EndResponse(HeaderBlock? trailers)
    {
        if (_gone || _responseEnded)
        {
            return;
        }

        if (trailers is not null && trailers.FieldCount > 0)
        {
            // The upstream's storage goes with its release; the trailers may have to wait for the DATA.
            _responseTrailers.Begin();
            for (var i = 0; i < trailers.FieldCount; i++)
            {
                if (!trailers.Field(i).Dropped)
                {
                    _responseTrailers.AddField(trailers.Field(i).Known, trailers.Name(i), trailers.Value(i));
                }
            }
        }

        _endQueued = true;
        SendQueued();
    }

    public void StartTunnel() => Reset();

    public void Reset()
    {
        if (_released)
        {
            return;
        }

        // Once the response has begun the client can only learn of the failure from the stream's end.
        if (!_gone)
        {
            _gone = true;
            Frames.ResetStream(Id, Http2ErrorCode.InternalError);
        }

        var connection = _connection;
        Exchange.OnDownstreamReset();
        if (!_released)
        {
            Release();
        }

        connection.FlushOutput();
    }

    public void Finish()
    {
        if (_released)
        {
            // Reset already ended the exchange and gave the stream back.
            return;
        }

        _finished = true;
        _head.End();
        _requestTrailers.End();
        if (_gone || _responseEnded)
        {
            Complete();
        }
        else if (!_endQueued)
        {
            // An exchange that ends without ending its response leaves the client nothing to wait for.
            Reset();
        }
    }

    /// <summary>The client's window (or the connection's) opened: what waits goes now.</summary>
    public void OnWindowOpened()
    {
        var connection = _connection;
        SendQueued();
        if (!_released)
        {
            connection.FlushOutput();
        }
    }

    /// <summary>Holds (or resumes) the exchange's upstream while this stream's queue or the socket's is above its limit.</summary>
    public void UpdateWatermark()
    {
        var limit = _connection.Listener.Config.BufferLimitBytes;
        var above = _connection.OutputAbove || _output.Length > (_aboveWatermark ? limit / 2 : limit);
        if (above != _aboveWatermark)
        {
            _aboveWatermark = above;
            Exchange.OnDownstreamWatermark(above);
        }
    }

    /// <summary>Sends what the windows take of the queued DATA, then the end (trailers or END_STREAM) once nothing waits.</summary>
    private void SendQueued()
    {
        var writer = _connection.Writer;
        while (!_output.IsEmpty)
        {
            var block = _output.Head!;
            var length = Math.Min(block.Length, _connection.DataFrameRoom);
            var last = length == block.Length && block.Next is null && _endQueued && _responseTrailers.FieldCount == 0;
            var sent = Frames.SendData(Id, block.Readable[..length], last, writer);
            if (sent < 0)
            {
                // Reset meanwhile: the exchange hears of it from the frame layer's event.
                _output.Clear(_worker.Pool);
                return;
            }

            _output.Consume(sent, _worker.Pool);
            if (sent < length)
            {
                break;
            }

            _responseEnded |= last;
        }

        if (_output.IsEmpty && _endQueued && !_responseEnded)
        {
            SendEnd();
        }

        UpdateWatermark();
        if (_responseEnded && _finished)
        {
            Complete();
        }
        else
        {
            _connection.FlushOutput();
        }
    }

    private void SendEnd()
    {
        if (_responseTrailers.FieldCount > 0)
        {
            Http2ResponseFields.AddFields(Frames, _responseTrailers);
            Frames.SendHeaders(Id, endStream: true, _connection.Writer);
        }
        else
        {
            Frames.SendData(Id, default, endStream: true, _connection.Writer);
        }

        _responseEnded = true;
    }

    /// <summary>
    /// The exchange is over and the response is out: a client still sending its request is told to
    /// stop (RST_STREAM NO_ERROR, RFC 9113 §8.1), and the stream goes back to the pool.
    /// </summary>
    private void Complete()
    {
        var connection = _connection;
        if (!_gone && !_requestEnded)
        {
            Frames.ResetStream(Id, Http2ErrorCode.NoError);
        }

        Release();
        connection.FlushOutput();
    }
}
