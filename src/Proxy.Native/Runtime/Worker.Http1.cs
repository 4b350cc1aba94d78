using MeshEdge.Native.Http;

namespace MeshEdge.Native.Runtime;

/// <summary>The worker's pool of HTTP/1 request leases (see <see cref="Http1RequestLeases"/>).</summary>
internal sealed partial class Worker
{
    private Http1RequestLeases? _http1Leases;

    public Http1RequestLeases Http1Leases => _http1Leases ??= new Http1RequestLeases(this);
}
