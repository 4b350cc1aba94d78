using MeshEdge.Codecs.Rpc;
using MeshEdge.Native.Http;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Rpc;

/// <summary>How requests end: the error replies the proxy writes itself, and the session's intrusive list of open requests.</summary>
internal sealed partial class RpcDownstreamSession<TCodec>
{
    /// <summary>Answers <paramref name="request"/> with the protocol's error response for <paramref name="error"/>, and ends it.</summary>
    public void Fail(RpcRequest<TCodec> request, RpcErrorKind error)
    {
        var stats = _context.ListenerStats;
        switch (error)
        {
            case RpcErrorKind.NoRoute:
                stats.NoRoute++;
                break;
            case RpcErrorKind.Timeout:
                stats.Timeouts++;
                break;
            case RpcErrorKind.ConnectionClosed:
                stats.UpstreamLost++;
                break;
            case RpcErrorKind.Overloaded:
                stats.Overflow++;
                break;
        }

        Reply(request, error, FlagOf(error));
    }

    /// <summary>
    /// No host could be connected to for <paramref name="request"/>: answered as "no healthy host"
    /// (Bolt NO_PROCESSOR), counted apart from requests that matched no route.
    /// </summary>
    public void FailUnreachable(RpcRequest<TCodec> request)
    {
        _context.ListenerStats.ConnectFailed++;
        Reply(request, RpcErrorKind.NoRoute, ResponseFlags.UpstreamConnectFailure);
    }

    private void Reply(RpcRequest<TCodec> request, RpcErrorKind error, ResponseFlags flags)
    {
        var written = request.Info.ExpectsResponse && IsOpen ? _context.Codec.WriteErrorResponse(request.Info, error, _context.Writer) : 0;
        if (written > 0)
        {
            _downstream.Write(_context.Replies);
            _context.EarlyFlush.Mark(_downstream);
            Record(request, _context.Codec.ErrorStatus(error), flags, written);
        }
        else
        {
            Record(request, -1, flags, 0);
        }

        Finish(request);
    }

    /// <summary>A oneway call is on its way upstream: nothing will answer it, so it ends here.</summary>
    public void FinishOneway(RpcRequest<TCodec> request)
    {
        Record(request, -1, ResponseFlags.None, 0);
        Finish(request);
    }

    /// <summary>The request is over and recorded: its record goes back, and a session waiting for its last request may now close or move.</summary>
    /// <remarks>Inlined into the response's step; a session that is leaving is looked at out of line.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Finish(RpcRequest<TCodec> request)
    {
        _context.ResetForReuse(request);
        _context.Records.PutSpare(ref _spareRecords, request);
        if (_migrating || _closeWhenIdle)
        {
            FinishLeaving();
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void FinishLeaving()
    {
        if (_migrating)
        {
            // Its answer may still be in the run of responses being read: in the output before the
            // output is looked at.
            _context.Run.Flush();
            TryMigrate();
        }
        else if (_closeWhenIdle && _requestCount == 0)
        {
            _context.Run.Flush();
            _downstream.Close(CloseMode.FlushWrite);
        }
    }

    /// <summary>Takes <paramref name="request"/> out of the session's list of open requests, if it is in it.</summary>
    /// <remarks>Inlined into the release every request goes through.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Unlink(RpcRequest<TCodec> request)
    {
        var records = _context.Records;
        var previous = request.SessionPrevious;
        var next = request.SessionNext;
        if (previous >= 0)
        {
            records[previous].SessionNext = next;
        }
        else if (_firstRequest == request.Index)
        {
            _firstRequest = next;
        }
        else
        {
            return;
        }

        if (next >= 0)
        {
            records[next].SessionPrevious = previous;
        }

        // Session stays (see RpcRequest.Session): the cleared links say the record is in no list.
        request.SessionPrevious = request.SessionNext = RpcRequestRecords<TCodec>.None;
        _requestCount--;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Link(RpcRequest<TCodec> request)
    {
        if (!ReferenceEquals(request.Session, this))
        {
            request.Session = this;
        }

        request.SessionPrevious = RpcRequestRecords<TCodec>.None;
        var first = _firstRequest;
        request.SessionNext = first;
        if (first >= 0)
        {
            _context.Records[first].SessionPrevious = request.Index;
        }

        _firstRequest = request.Index;
        _requestCount++;
    }
}
