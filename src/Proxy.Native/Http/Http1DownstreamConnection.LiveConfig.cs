using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Http;

/// <summary>
/// Live configuration: each request takes its listener's connection settings (timeouts, header
/// limits) from the listener's current version on this worker, so a keep-alive connection follows a
/// config change from its next request on; the exchange takes routes and the access log the same way.
/// </summary>
internal sealed partial class Http1DownstreamConnection : IListenerSession
{
    public ListenerRuntime Listener => _listener;

    /// <summary>
    /// At the start of each request: the listener's current version on this worker, kept for the
    /// exchange (<see cref="HttpExchange.Start(long, ListenerRuntime)"/>), so a request looks it up
    /// once; then one reference compare, unless the listener's HTTP settings changed.
    /// </summary>
    private void FetchListenerState()
    {
        // A removed listener has no current version: its connections drain on what they had.
        if (_worker.Listener(_listener.Index) is not { Config.Http: { } config } current)
        {
            return;
        }

        _current = current;
        if (ReferenceEquals(config, _config))
        {
            return;
        }

        _config = config;
        if (config.MaxRequestHeadersBytes != _limits.MaxHeaderBytes)
        {
            // The next request's parser (made when its lease is taken) reads with these.
            _limits = new Http1ParserLimits(8 * 1024, config.MaxRequestHeadersBytes, 100);
        }
    }
}
