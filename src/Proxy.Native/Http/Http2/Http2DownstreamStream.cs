using System.Diagnostics;
using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http.Http2;

/// <summary>
/// One HTTP/2 stream of a downstream connection, as its <see cref="HttpExchange"/> sees it: the
/// request's fields copied into the neutral <see cref="RequestHead"/>, DATA handed on as body bytes
/// and given back to the client's window only as the exchange takes them (a paused exchange
/// withholds them, so a slow upstream holds this stream, not the connection), and the response
/// framed as HEADERS, DATA and trailing HEADERS. Pooled per worker with its exchange; it goes back
/// once the exchange is over and its last frame is out, or when either side resets it.
/// </summary>
internal sealed partial class Http2DownstreamStream
{
    private readonly Worker _worker;
    private readonly RequestHead _head = new();
    private readonly HeaderBlock _requestTrailers = new();
    private Http2DownstreamConnection _connection = null!;

    // Request bytes on their way to the exchange, and those it took while paused, not yet given back to the client's window.
    private readonly BlockChain _input = new();
    private int _withheld;
    private bool _readingPaused;
    private bool _requestEnded;

    // Back in the pool: an exchange call that ended the stream returned to a caller that must stop here.
    private bool _released;

    public Http2DownstreamStream(Worker worker, Network.ListenerRuntime listener)
    {
        _worker = worker;
        Exchange = new HttpExchange(worker, listener, this);
    }

    public HttpExchange Exchange { get; }

    public uint Id { get; private set; }

    /// <summary>Where the stream sits in its connection's table.</summary>
    public int Slot { get; set; }

    private Http2Connection Frames => _connection.Frames;

    public void Attach(Http2DownstreamConnection connection, uint id)
    {
        _connection = connection;
        Id = id;
        _released = false;
        Exchange.Rebind(connection.Listener);
    }

    /// <summary>
    /// The request head: pseudo-headers as method, authority and target; regular fields as they came
    /// (h2 names are lowercase already), minus TE, which only this hop reads (RFC 9113 §8.2.2).
    /// </summary>
    public void OnRequestHead(in Http2HeaderFields fields, bool endStream)
    {
        _head.Begin();
        _head.SetPseudoHeaders(fields.Method, fields.Authority, fields.Path);
        var cookies = 0;
        for (var i = fields.RegularStart; i < fields.Count; i++)
        {
            var name = fields.Name(i);
            var known = Http1KnownHeaders.ClassifyLowercase(name);
            if (known == Http1KnownHeader.Cookie)
            {
                cookies++;
                continue;
            }

            _head.AddField(known, name, fields.Value(i));
            if (known == Http1KnownHeader.TE)
            {
                // RFC 9113 §8.2.2: "trailers" is the only value TE may have in h2.
                _head.AcceptsTrailers = true;
                _head.DropField(_head.FieldCount - 1);
            }
        }

        if (cookies > 0)
        {
            AddCookies(fields, cookies);
        }

        _head.DeclaredLength = fields.ContentLength;
        _requestEnded = endStream;
        _omitBody = _head.Method == Http1Method.Head;
        var connection = _connection;
        Exchange.Start(Stopwatch.GetTimestamp(), connection.CurrentListener);
        Exchange.OnRequestHead(endStream);
        connection.FlushOutput();
    }

    /// <summary>
    /// h2 may split Cookie into one field per crumb for HPACK's sake; an HTTP/1.1 upstream must get
    /// them joined with "; " in one field (RFC 9113 §8.2.3).
    /// </summary>
    private void AddCookies(in Http2HeaderFields fields, int count)
    {
        if (count == 1 && fields.TryGet("cookie"u8, out var single))
        {
            _head.AddField(Http1KnownHeader.Unknown, "cookie"u8, single);
            return;
        }

        var length = 0;
        for (var i = fields.RegularStart; i < fields.Count; i++)
        {
            length += fields.Name(i).SequenceEqual("cookie"u8) ? fields.Value(i).Length + 2 : 0;
        }

        var joined = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        var at = 0;
        for (var i = fields.RegularStart; i < fields.Count; i++)
        {
            if (fields.Name(i).SequenceEqual("cookie"u8))
            {
                if (at > 0)
                {
                    "; "u8.CopyTo(joined.AsSpan(at));
                    at += 2;
                }

                fields.Value(i).CopyTo(joined.AsSpan(at));
                at += fields.Value(i).Length;
            }
        }

        _head.AddField(Http1KnownHeader.Unknown, "cookie"u8, joined.AsSpan(0, at));
        System.Buffers.ArrayPool<byte>.Shared.Return(joined);
    }

    public void OnRequestData(ReadOnlySpan<byte> data, bool endStream)
    {
        // The exchange may end and release this stream inside any call to it: what follows reads the
        // connection and id from locals and checks _released.
        var connection = _connection;
        var id = Id;
        if (!data.IsEmpty)
        {
            _input.AppendCopy(data, _worker.Pool);
            Exchange.OnRequestData(_input, data.Length);

            // After the exchange took them: a pause it asked for meanwhile withholds these too.
            if (_released || !_readingPaused)
            {
                connection.Frames.ReleaseReceived(id, data.Length);
            }
            else
            {
                _withheld += data.Length;
            }
        }

        if (endStream && !_released)
        {
            _requestEnded = true;
            Exchange.OnRequestEnd(null);
        }

        connection.FlushOutput();
    }

    public void OnRequestTrailers(in Http2HeaderFields fields)
    {
        var connection = _connection;
        _requestTrailers.Begin();
        for (var i = 0; i < fields.Count; i++)
        {
            _requestTrailers.AddField(Http1KnownHeader.Unknown, fields.Name(i), fields.Value(i));
        }

        _requestEnded = true;
        Exchange.OnRequestEnd(_requestTrailers);
        connection.FlushOutput();
    }

    public void PauseReading(bool pause)
    {
        _readingPaused = pause;
        if (!pause && _withheld > 0 && !_released)
        {
            Frames.ReleaseReceived(Id, _withheld);
            _withheld = 0;
            _connection.FlushOutput();
        }
    }

    /// <summary>The client reset the stream (or the frame layer did, for the client's error): the exchange abandons it.</summary>
    public void OnPeerReset()
    {
        _gone = true;
        Exchange.OnDownstreamReset();
        Release();
    }

    /// <summary>The connection closed under the stream.</summary>
    public void OnConnectionClosed()
    {
        _gone = true;
        Exchange.OnDownstreamReset();
        Release();
    }

    /// <summary>The stream leaves its connection and goes back to the worker's pool, holding nothing.</summary>
    private void Release()
    {
        _head.End();
        _requestTrailers.End();
        _responseTrailers.End();
        _input.Clear(_worker.Pool);
        _output.Clear(_worker.Pool);
        _withheld = 0;
        _readingPaused = false;
        _requestEnded = false;
        _omitBody = false;
        _endQueued = false;
        _responseEnded = false;
        _finished = false;
        _aboveWatermark = false;
        _gone = false;
        _released = true;
        _connection.Remove(this);
    }
}
