using System.Buffers;
using MeshEdge.Codecs.Http2;
using MeshEdge.Native.Http.Http2;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Http;

/// <summary>
/// Choosing HTTP/2: every HTTP connection starts here, and one that turns out to speak h2 is handed
/// to an <see cref="Http2DownstreamConnection"/> before its first request: over TLS when ALPN chose
/// "h2", in the clear when its first bytes are the client preface (h2c with prior knowledge, as the
/// protocol detector sees it; no Upgrade: h2c dance, which Envoy does not do by default either).
/// Checking here rather than peeking before the session costs an HTTP/1 connection nothing.
/// </summary>
internal sealed partial class Http1DownstreamConnection
{
    // Until the first request starts, the connection may still turn out to be h2.
    private bool _http2Possible = true;

    public void OnConnected(Connection connection)
    {
        // A TLS handshake completed: ALPN has settled the protocol.
        if (connection.Tls is { NegotiatedHttp2: true })
        {
            HandOverToHttp2();
        }
    }

    /// <summary>
    /// Whether the input starts with the h2c preface (the connection then goes to HTTP/2), or may
    /// still (wait for more bytes). False once it cannot: HTTP/1 parses it.
    /// </summary>
    private bool HandedOverOrWaitingForPreface()
    {
        if (!_http2Possible || _phase != Phase.Idle)
        {
            return false;
        }

        var input = _downstream.Input;
        Span<byte> prefix = stackalloc byte[Http2Preface.Length];
        var seen = (int)Math.Min(input.Length, Http2Preface.Length);
        input.AsSequence().Slice(0, seen).CopyTo(prefix);
        if (!Http2Preface.Bytes.StartsWith(prefix[..seen]))
        {
            _http2Possible = false;
            return false;
        }

        if (seen == Http2Preface.Length)
        {
            HandOverToHttp2();
        }

        return true;
    }

    private void HandOverToHttp2()
    {
        _http2Possible = false;
        _phase = Phase.Closing;
        _worker.Timers.Cancel(_timer);
        ReturnLease();
        new Http2DownstreamConnection(_worker, _listener, _clientAddress, _clientHash).TakeOver(_downstream);
    }
}
