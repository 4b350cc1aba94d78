using MeshEdge.Codecs.Http1;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http.Upstream2;

/// <summary>
/// One request on a shared upstream HTTP/2 connection, as the exchange sees it (Envoy's
/// RequestEncoder over a multiplexed client): the neutral head becomes a field list, the body DATA
/// within the peer's windows, the response comes back as neutral events. Pooled by its
/// <see cref="Http2UpstreamPool"/> and reused for the next request: nothing is allocated per request
/// once the pool is warm. A stream that was lost (reset, refused, its connection closed) is given
/// back by the pool after it told the exchange, as an HTTP/1.1 connection is; one the exchange is
/// done with comes back through <see cref="IHttpUpstreamPool.Release"/>.
/// </summary>
internal sealed partial class Http2UpstreamStream : IUpstreamStream
{
    private readonly BlockPool _blocks;
    private readonly ResponseHead _responseHead = new();
    private readonly HeaderBlock _responseTrailers = new();
    private readonly BlockChain _responseData = new();
    private bool _answered;
    private bool _responseEnded;
    private bool _paused;

    // Response bytes delivered while the exchange had paused reading: they stay charged to the
    // peer's windows until it resumes, so a slow client makes the upstream wait, not our memory grow.
    private int _unreleased;

    public Http2UpstreamStream(BlockPool blocks) => _blocks = blocks;

    /// <summary>The connection the stream is on (or waits for); null while pooled.</summary>
    public Http2UpstreamConnection? Owner { get; private set; }

    public UpstreamHost Host { get; private set; } = null!;

    public IUpstreamStreamUser? User { get; private set; }

    /// <summary>The HTTP/2 stream id once the head went out; 0 before.</summary>
    public uint Id { get; private set; }

    /// <summary>The exchange may send: the connection is up and has room for this stream.</summary>
    public bool Connected { get; set; }

    public void Attach(Http2UpstreamConnection owner, IUpstreamStreamUser user)
    {
        Owner = owner;
        Host = owner.Host;
        User = user;
    }

    /// <summary>Back to the pool: every buffer returned, nothing of the last request kept.</summary>
    public void Clear()
    {
        Owner = null;
        User = null;
        Id = 0;
        Connected = false;
        _answered = _responseEnded = _paused = false;
        _unreleased = 0;
        _responseHead.End();
        _responseTrailers.End();
        _responseData.Clear(_blocks);
        ClearRequest();
    }

    /// <summary>Takes the user off the stream before telling it of the stream's end: it calls no more.</summary>
    public IUpstreamStreamUser? TakeUser()
    {
        var user = User;
        User = null;
        return user;
    }

    /// <summary>Bytes the exchange has not let go back to the peer (reading paused); handed to the connection's window on release.</summary>
    public int TakeUnreleased()
    {
        var count = _unreleased;
        _unreleased = 0;
        return count;
    }

    /// <summary>Whether any response frame came: from here a loss is no proof the request went unprocessed.</summary>
    public bool Answered => _answered;

    /// <summary>
    /// Both sides sent END_STREAM: the codec closes the stream itself (after the event that ended
    /// it returns, which may be where the exchange lets go), so no RST_STREAM must follow.
    /// </summary>
    public bool Finished => _responseEnded && _endSent;

    public void PauseReading(bool pause)
    {
        _paused = pause;
        if (!pause && _unreleased > 0 && Owner is { } owner)
        {
            owner.Codec.ReleaseReceived(Id, TakeUnreleased());
            owner.Flush();
        }
    }

    /// <summary>A response head, an interim one, or the trailers that end the response.</summary>
    internal void OnHeaders(Http2HeadersKind kind, in Http2HeaderFields fields, bool endStream)
    {
        _answered = true;
        var user = User!;
        if (kind == Http2HeadersKind.Trailers)
        {
            _responseEnded = true;
            _responseTrailers.Begin();
            Copy(fields, _responseTrailers);
            user.OnResponseEnd(this, _responseTrailers.FieldCount > 0 ? _responseTrailers : null);
            return;
        }

        _responseEnded = endStream;
        _responseHead.Begin();
        _responseHead.SetStatus(fields.Status, Http1ReasonPhrases.For(fields.Status));
        Copy(fields, _responseHead);
        user.OnResponseHead(this, _responseHead, endStream);
    }

    /// <summary>DATA content: copied into the stream's chain for the exchange, then released to the peer's windows unless reading is paused.</summary>
    internal void OnData(ReadOnlySpan<byte> data, bool endStream, Http2Connection codec)
    {
        _answered = true;
        var user = User!;
        if (!data.IsEmpty)
        {
            _responseData.AppendCopy(data, _blocks);
            user.OnResponseData(this, _responseData, data.Length);
            _responseData.Clear(_blocks);
            if (User != user)
            {
                // Released meanwhile: the connection's share of the window still goes back.
                codec.ReleaseReceived(0, data.Length);
                return;
            }

            if (_paused)
            {
                _unreleased += data.Length;
            }
            else
            {
                codec.ReleaseReceived(Id, data.Length);
            }
        }

        if (endStream)
        {
            _responseEnded = true;
            user.OnResponseEnd(this, null);
        }
    }

    private static void Copy(in Http2HeaderFields fields, HeaderBlock block)
    {
        for (var i = fields.RegularStart; i < fields.Count; i++)
        {
            var name = fields.Name(i);
            block.AddField(Http1KnownHeaders.ClassifyLowercase(name), name, fields.Value(i));
        }
    }
}
