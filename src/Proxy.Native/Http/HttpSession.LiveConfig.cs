using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Http;

/// <summary>
/// Live configuration: each request takes its listener's settings, routes and access log from the
/// listener's current version on this worker, so a keep-alive connection follows a config change
/// from its next request on, while a request in flight finishes on what it started with.
/// </summary>
internal sealed partial class HttpSession : IListenerSession
{
    public ListenerRuntime Listener => _listener;

    /// <summary>At the start of each request: two reference compares, unless the listener changed.</summary>
    private void FetchListenerState()
    {
        // A removed listener has no current version: its connections drain on what they had.
        if (_worker.Listener(_listener.Index) is not { Config.Http: { } config, Routes: { } routes } current
            || (ReferenceEquals(routes, _routes) && ReferenceEquals(config, _config)))
        {
            return;
        }

        _config = config;
        _routes = routes;
        _accessLog = _worker.AccessLogs[current.Index];
        if (config.MaxRequestHeadersBytes != _limits.MaxHeaderBytes)
        {
            _limits = new Http1ParserLimits(8 * 1024, config.MaxRequestHeadersBytes, 100);
            _requestParser = new Http1RequestParser(_limits);
        }
    }
}
