using MeshEdge.Native.Http.Http2;

namespace MeshEdge.Native.Runtime;

/// <summary>The worker's pool of HTTP/2 downstream streams (see <see cref="Http2StreamPool"/>).</summary>
internal sealed partial class Worker
{
    private Http2StreamPool? _http2Streams;

    public Http2StreamPool Http2Streams => _http2Streams ??= new Http2StreamPool(this);
}
