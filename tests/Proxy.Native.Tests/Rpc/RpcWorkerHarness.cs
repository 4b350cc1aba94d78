using System.Collections.Immutable;
using System.Net;
using MeshEdge.Config;
using MeshEdge.Native.Network;
using MeshEdge.Native.Rpc;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Tests.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>
/// One real worker, on its own thread, serving one Bolt listener on a loopback port with a cluster
/// "a" of the given hosts: the product's own listener socket, <see cref="RpcSessionFactory{TCodec}"/>,
/// <see cref="RpcDownstreamSession{TCodec}"/> and upstream pool, as ProxyHost wires them. Tests reach
/// into the worker's thread only through <see cref="Worker.Post"/>.
/// </summary>
internal sealed class RpcWorkerHarness : IDisposable
{
    private readonly WorkerThread _worker;

    public RpcWorkerHarness(string rpcProxy, params IPEndPoint[] hosts)
    {
        var toml = $"""
            [[listeners]]
            name = "inbound"
            address = "127.0.0.1:0"
            protocol = "bolt"
            [listeners.rpc_proxy]
            {rpcProxy}

            [[clusters]]
            name = "a"
            hosts = [{string.Join(", ", hosts.Select(host => $"\"{host}\""))}]
            """;
        var loaded = ConfigLoader.LoadToml(toml, "harness.toml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        var config = loaded.Config;
        var clusters = config.Clusters.Select((cluster, index) => new ClusterRuntime(index, cluster, 1)).ToImmutableArray();
        var listenerConfig = config.Listeners[0];
        var routes = new RpcRouteTable(listenerConfig.RpcProxy!, clusters);
        Factory = (IRpcStatsSource)RpcListenerFactory.Create(listenerConfig, routes);
        var listener = new ListenerRuntime(0, listenerConfig, -1, (IDownstreamSessionFactory)Factory) { RpcRoutes = routes };
        var worker = new Worker(0, new WorkerSnapshot([listener], clusters), diagnosticPool: false);
        var socket = ListenerSocket.Open(listener, new IPEndPoint(IPAddress.Loopback, 0), out var errno)
            ?? throw new InvalidOperationException($"cannot listen: errno {errno}");
        Address = socket.BoundAddress;
        worker.AddListener(socket);
        _worker = new WorkerThread(worker);
    }

    public IPEndPoint Address { get; }

    public IRpcStatsSource Factory { get; }

    /// <summary>Runs <paramref name="read"/> on the worker's thread between events and returns its answer.</summary>
    public T OnWorker<T>(Func<T> read) => _worker.OnWorker(read);

    /// <summary>Bytes the worker's thread has allocated on the managed heap so far.</summary>
    public long WorkerAllocatedBytes() => _worker.AllocatedBytes();

    public void Dispose() => _worker.Dispose();
}
