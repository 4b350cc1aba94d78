using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Admin;

/// <summary>
/// One connection to the admin listener, served by our own HTTP/1.1 codec. Requests are answered
/// one at a time; building a reply (merging every worker's counters, formatting metrics) runs on
/// the thread pool so a scrape never stalls the worker that accepted it, and the bytes come back
/// through the worker's command queue.
/// </summary>
internal sealed class AdminSession(Worker worker, ListenerRuntime listener, AdminState state) : IConnectionHandler, IDrainable
{
    private readonly BlockChainWriter _writer = new(worker.Pool);
    private readonly BlockChain _staging = new();
    private Connection _connection = null!;
    private Http1RequestParser _parser = new(Http1ParserLimits.Default);
    private bool _busy;

    // The request line arrives in one parse call and the end of the head maybe in a later one:
    // what the handler kept must outlive a single call.
    private AdminRequestLine _request;
    private bool _closeAfterReply;

    public void Start(int fd)
    {
        var stats = worker.Stats.Listeners[listener.Index];
        stats.ConnectionsActive++;
        _writer.Target = _staging;
        _connection = Connection.Accepted(worker, fd, this, listener.Config.BufferLimitBytes, stats);
    }

    public void OnConnected(Connection connection)
    {
    }

    public void OnConnectFailed(Connection connection, int errno)
    {
    }

    public void OnData(Connection connection)
    {
        if (_busy || connection.State != ConnectionState.Open)
        {
            return;
        }

        var result = _parser.Parse(ref _request, connection.Input.AsSequence());
        connection.Input.Consume(result.Consumed, worker.Pool);
        if (result.Status == Http1ParseStatus.NeedMoreData)
        {
            return;
        }

        if (result.Status == Http1ParseStatus.Error)
        {
            Http1LocalReply.WriteParseError(_writer, result);
            connection.Write(_staging);
            connection.Close(CloseMode.FlushWrite);
            return;
        }

        var head = _parser.Head;
        _parser.Reset();
        var isPost = head.Method == Http1Method.Post && (_request.Path == ModeEndpoint.Path || _request.Path == "/reload");
        if (head.Method is not (Http1Method.Get or Http1Method.Head) && !isPost)
        {
            _request = default;
        }


        // The admin API takes no bodies; a request with one is answered and the connection closed.
        _closeAfterReply = !head.KeepAlive || head.Framing.Kind != Http1BodyKind.None;
        var isHead = head.Method == Http1Method.Head;
        if (head.Method is not (Http1Method.Get or Http1Method.Head) && !isPost)
        {
            Reply(AdminResponse.Text(405, "the admin API is read-only: use GET (POST only for /mode and /reload)\n"), isHead);
            return;
        }

        _busy = true;
        var path = _request.Path ?? "/";
        var query = _request.Query ?? "";
        _request = default;
        Task.Run(() =>
        {
            AdminResponse response;
            try
            {
                response = isPost ? AdminEndpoints.HandlePost(path, query, state) : AdminEndpoints.Handle(path, query, state);
            }
            catch (Exception ex)
            {
                response = AdminResponse.Text(500, ex.Message + "\n");
            }

            worker.Post(_ => Reply(response, isHead));
        });
    }

    public void OnReadEof(Connection connection)
    {
        if (!_busy)
        {
            connection.Close(CloseMode.FlushWrite);
        }
        else
        {
            _closeAfterReply = true;
        }
    }

    public void OnAboveHighWatermark(Connection connection)
    {
    }

    public void OnBelowLowWatermark(Connection connection)
    {
    }

    public void OnDrain(Connection connection)
    {
        _closeAfterReply = true;
        if (!_busy)
        {
            connection.Close(CloseMode.FlushWrite);
        }
    }

    public void OnClosed(Connection connection, CloseReason reason)
    {
        _staging.Clear(worker.Pool);
        var stats = worker.Stats.Listeners[listener.Index];
        stats.ConnectionsActive--;
        listener.Connections.Release();
    }

    private void Reply(AdminResponse response, bool omitBody)
    {
        _busy = false;
        if (_connection.State != ConnectionState.Open)
        {
            return;
        }

        Http1Writer.WriteStatusLine(_writer, Http1Version.Http11, response.Status);
        Http1Writer.WriteHeader(_writer, "content-type"u8, System.Text.Encoding.ASCII.GetBytes(response.ContentType));
        Http1Writer.WriteHeader(_writer, "content-length"u8, response.Body.Length);
        Http1Writer.WriteHeader(_writer, "cache-control"u8, "no-store"u8);
        if (_closeAfterReply)
        {
            Http1Writer.WriteHeader(_writer, "connection"u8, "close"u8);
        }

        Http1Writer.WriteEndOfHeaders(_writer);
        if (!omitBody)
        {
            _writer.Append(response.Body);
        }

        _connection.Write(_staging);
        if (_closeAfterReply)
        {
            _connection.Close(CloseMode.FlushWrite);
        }
        else if (!_connection.Input.IsEmpty)
        {
            OnData(_connection);
        }
    }
}
