using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http;

/// <summary>Writing: the exchange's response as HTTP/1.1 bytes, with the framing this connection chooses.</summary>
internal sealed partial class Http1DownstreamConnection : IDownstreamStream
{
    private Http1BodyKind _responseFraming;

    public RequestHead Head => Lease.Head;

    public bool Secure => _downstream.Tls is not null;

    public Tls.TlsPeerIdentity? Peer => _downstream.Tls?.Peer;

    public ReadOnlySpan<byte> ClientAddress => _clientAddress;

    public ulong ClientHash => _clientHash;

    public void SendLocalReply(in LocalReply reply)
    {
        // A request whose body is still coming cannot be followed by another on this connection.
        var close = reply.CloseConnection || !_keepAlive || !_requestComplete;
        _keepAlive = !close;
        var omitBody = _request.Method == Http1Method.Head;
        switch (reply.Kind)
        {
            case LocalReplyKind.Redirect:
                LocalResponses.WriteRedirect(Lease.Writer, reply.Redirect!, Lease.Head, close, Secure);
                break;
            case LocalReplyKind.Overloaded:
                LocalResponses.WriteOverloaded(Lease.Writer, reply.Body, close, omitBody);
                break;
            default:
                Http1LocalReply.Write(Lease.Writer, reply.Status, reply.Body, close, omitBody);
                break;
        }

        _downstream.Write(Lease.Staging);
    }

    public void SendResponseHead(ResponseHead head, bool endStream)
    {
        if (head.IsInterim)
        {
            Http1Writer.WriteStatusLine(Lease.Writer, Http1Version.Http11, head.Status, head.Reason);
            WriteFields(head);
            Http1Writer.WriteEndOfHeaders(Lease.Writer);
            _downstream.Write(Lease.Staging);
            return;
        }

        var tunnel = head.Status == 101 && _request.IsUpgrade;
        _keepAlive &= !_draining;

        // The body's framing is this hop's choice: a declared length passes through, an HTTP/1.1
        // client takes anything else chunked, and an HTTP/1.0 one reads to the close.
        _responseFraming = endStream || tunnel ? Http1BodyKind.None
            : head.ContentLengthField >= 0 ? Http1BodyKind.ContentLength
            : _request.Version != Http1Version.Http10 ? Http1BodyKind.Chunked
            : Http1BodyKind.UntilClose;
        _keepAlive &= _responseFraming != Http1BodyKind.UntilClose;
        Http1Writer.WriteStatusLine(Lease.Writer, Http1Version.Http11, head.Status, head.Reason);
        WriteFields(head);
        if (_responseFraming == Http1BodyKind.Chunked)
        {
            Http1Writer.WriteHeader(Lease.Writer, "transfer-encoding"u8, "chunked"u8);
        }

        if (tunnel)
        {
            Http1Writer.WriteHeader(Lease.Writer, "connection"u8, "upgrade"u8);
        }
        else if (!_keepAlive)
        {
            Http1Writer.WriteHeader(Lease.Writer, "connection"u8, "close"u8);
        }
        else if (_request.Version == Http1Version.Http10)
        {
            Http1Writer.WriteHeader(Lease.Writer, "connection"u8, "keep-alive"u8);
        }

        Http1Writer.WriteEndOfHeaders(Lease.Writer);
        _downstream.Write(Lease.Staging);
    }

    public void SendResponseData(BlockChain source, long count)
    {
        if (_phase == Phase.Closing)
        {
            source.Consume(count, _worker.Pool);
            return;
        }

        if (_responseFraming != Http1BodyKind.Chunked)
        {
            _downstream.Write(source, count);
            return;
        }

        Http1Writer.WriteChunkHeader(Lease.Writer, count);
        source.MovePrefixTo(Lease.Staging, count, _worker.Pool);
        Http1Writer.WriteChunkEnd(Lease.Writer);
        _downstream.Write(Lease.Staging);
    }

    public void EndResponse(HeaderBlock? trailers)
    {
        if (_phase == Phase.Tunnel)
        {
            // The upstream half-closed the tunnel: pass the half-close on.
            _downstream.ShutdownWrite();
            return;
        }

        if (_responseFraming == Http1BodyKind.Chunked)
        {
            Http1Writer.WriteLastChunk(Lease.Writer);

            // Trailers only to a client that said it takes them (TE: trailers), as Envoy does: others may not expect fields after the body.
            if (trailers is not null && Lease.Head.AcceptsTrailers)
            {
                WriteFields(trailers);
            }

            Http1Writer.WriteEndOfHeaders(Lease.Writer);
            _downstream.Write(Lease.Staging);
        }

        _responseFraming = Http1BodyKind.None;
    }

    public void StartTunnel()
    {
        _phase = Phase.Tunnel;
        _worker.Timers.Cancel(_timer);

        // A tunnel's bytes need not be answered: its ACKs stay the kernel's to time.
        _downstream.AckPromptly();
        PauseReading(false);
        if (!_downstream.Input.IsEmpty)
        {
            Lease.Exchange.OnRequestData(_downstream.Input, _downstream.Input.Length);
        }
    }

    public void Reset()
    {
        // Whatever is queued goes out first (an abort would drop it, leaving the client an empty
        // reply); the connection then ends before the body's framing is complete, which tells the
        // client it was cut short. A body that runs to the close has no such tell: only a reset.
        CloseDownstream(_responseFraming == Http1BodyKind.UntilClose ? CloseMode.Abort : CloseMode.FlushWrite);
    }

    public void PauseReading(bool pause)
    {
        if (pause != _paused && _downstream.State != ConnectionState.Closed)
        {
            _paused = pause;
            _downstream.ReadDisable(pause);
        }
    }

    public void Finish()
    {
        // The exchange is over: nothing of it is needed until the next request's first byte.
        ReturnLease();
        _responseFraming = Http1BodyKind.None;
        if (_phase is Phase.Closing or Phase.Lingering)
        {
            return;
        }

        if (!_keepAlive || _draining || !_requestComplete)
        {
            CloseAfterReply();
            return;
        }

        EnterIdle();
        PauseReading(false);
        if (!_processing)
        {
            ProcessInput();
        }
    }

    private void WriteFields(HeaderBlock fields)
    {
        for (var i = 0; i < fields.FieldCount; i++)
        {
            if (!fields.Field(i).Dropped)
            {
                Http1Writer.WriteHeader(Lease.Writer, fields.Name(i), fields.Value(i));
            }
        }
    }
}
