using MeshEdge.Native.Tls.Interop;

namespace MeshEdge.Native.Tls;

/// <summary>The protocol ALPN settled on, read by the HTTP session that must speak it (h2 or HTTP/1.1).</summary>
internal sealed unsafe partial class TlsTransport
{
    /// <summary>The handshake is done and ALPN chose "h2": the session above must speak HTTP/2.</summary>
    public bool NegotiatedHttp2
    {
        get
        {
            if (Handshaking || _ssl == 0)
            {
                return false;
            }

            byte* selected;
            uint length;
            LibSsl.SSL_get0_alpn_selected(_ssl, &selected, &length);
            return length == 2 && selected[0] == (byte)'h' && selected[1] == (byte)'2';
        }
    }
}
