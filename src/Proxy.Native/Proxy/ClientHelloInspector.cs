using MeshEdge.Codecs.Tls;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Proxy;

/// <summary>
/// The tls_inspector of a tcp_proxy with SNI routes: peeks at a connection's first bytes until they
/// hold a whole ClientHello (bounded by max_client_hello_size and inspect_timeout), then hands the
/// connection to a TCP proxy session for the cluster its server name picks. Nothing is consumed and
/// nothing is terminated: the session forwards the hello itself first, the backend does the TLS.
/// </summary>
internal sealed class ClientHelloInspector(Worker worker, ListenerRuntime listener, SniRoutingSessionFactory factory, SniWorkerContext context, int fd, ulong clientHash)
    : PeekingFilter(worker, listener, fd, clientHash)
{
    protected override Span<byte> PeekBuffer => context.PeekBuffer;

    protected override void OnPeeked(ReadOnlySpan<byte> prefix, bool peerClosed)
    {
        var stats = context.Stats;
        var status = TlsClientHelloReader.Read(prefix, context.Scratch, context.PeekBuffer.Length, out var hello);
        switch (status)
        {
            case TlsClientHelloStatus.Complete when hello.ServerName.IsEmpty:
                stats.NoServerName++;
                HandOver(-1, "no server name");
                return;
            case TlsClientHelloStatus.Complete:
                var route = factory.Routes.Match(hello.ServerName);
                if (route < 0)
                {
                    stats.NoMatch++;
                }
                else
                {
                    stats.RouteHits[route]++;
                }

                HandOver(route, route < 0 ? "no route for the server name" : null);
                return;
            case TlsClientHelloStatus.NotTls:
                stats.NotTls++;
                HandOver(-1, "not TLS");
                return;
            case TlsClientHelloStatus.Malformed:
                stats.Malformed++;
                Close("malformed ClientHello");
                return;
            case TlsClientHelloStatus.TooLarge:
                stats.TooLarge++;
                Close("ClientHello too large");
                return;
        }

        if (peerClosed)
        {
            stats.ClosedEarly++;
            Close("closed before the ClientHello was whole");
        }
    }

    protected override void OnTimeout()
    {
        context.Stats.InspectTimeouts++;
        Close("no whole ClientHello within the inspect timeout");
    }

    protected override void OnReadError()
    {
        context.Stats.ClosedEarly++;
        Close("read error");
    }

    /// <summary>Starts the TCP proxy for <paramref name="route"/>'s cluster, or for the default when -1 (<paramref name="why"/> says why).</summary>
    private void HandOver(int route, string? why)
    {
        var table = factory.Routes;
        var cluster = route >= 0 ? table.ClusterIndices[route] : table.DefaultClusterIndex;

        // Also false for a retired cluster let go of: the routes were read from the listener version
        // this connection was accepted on, which a live change may have replaced since.
        if (!Worker.HasCluster(cluster))
        {
            context.Stats.NoCluster++;
            Close($"{why} and no default cluster");
            return;
        }

        if (route < 0)
        {
            context.Stats.DefaultHits++;
        }

        var fd = Detach();
        if (Log.DebugEnabled)
        {
            Log.Debug("sni routed", ("listener", Listener.Name), ("route", route), ("cluster", Worker.Cluster(cluster).Name), ("why", why ?? "server name"));
        }

        new TcpProxySession(Worker, Listener, ClientHash, cluster).Start(fd);
    }

    private void Close(string reason)
    {
        if (Log.DebugEnabled)
        {
            Log.Debug("sni inspection closed the connection", ("listener", Listener.Name), ("reason", reason));
        }

        CloseSocket();
    }
}
