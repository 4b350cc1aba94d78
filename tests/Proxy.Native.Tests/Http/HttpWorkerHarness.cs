using System.Collections.Immutable;
using System.Net;
using MeshEdge.Config;
using MeshEdge.Native.Http;
using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;
using MeshEdge.Native.Tests.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Tests.Http;

/// <summary>
/// One real worker, on its own thread, serving one HTTP listener on a loopback port that routes
/// everything to a cluster "a" of the given hosts: the product's listener socket, HTTP/1.1 downstream
/// connections, exchanges and upstream pool, as ProxyHost wires them. Tests reach into the worker's
/// thread only through <see cref="Worker.Post"/>.
/// </summary>
internal sealed class HttpWorkerHarness : IDisposable
{
    private readonly WorkerThread _worker;

    public HttpWorkerHarness(params IPEndPoint[] hosts)
    {
        var toml = $"""
            [[listeners]]
            name = "inbound"
            address = "127.0.0.1:0"
            protocol = "http"
            [listeners.http]
            [[listeners.http.virtual_hosts]]
            name = "all"
            routes = [{"{"} match = {"{"} prefix = "/" {"}"}, cluster = "a" {"}"}]

            [[clusters]]
            name = "a"
            hosts = [{string.Join(", ", hosts.Select(host => $"\"{host}\""))}]
            """;
        var loaded = ConfigLoader.LoadToml(toml, "harness.toml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        var config = loaded.Config;
        var clusters = config.Clusters.Select((cluster, index) => new ClusterRuntime(index, cluster, 1)).ToImmutableArray();
        var listenerConfig = config.Listeners[0];
        var listener = new ListenerRuntime(0, listenerConfig, -1, HttpSessionFactory.Instance)
        {
            Routes = new HttpRouteTable(listenerConfig.Http!, name => clusters.First(c => c.Name == name).Index),
        };
        var worker = new Worker(0, new WorkerSnapshot([listener], clusters), diagnosticPool: false);
        var socket = ListenerSocket.Open(listener, new IPEndPoint(IPAddress.Loopback, 0), out var errno)
            ?? throw new InvalidOperationException($"cannot listen: errno {errno}");
        Address = socket.BoundAddress;
        worker.AddListener(socket);
        _worker = new WorkerThread(worker);
    }

    public IPEndPoint Address { get; }

    /// <summary>Runs <paramref name="read"/> on the worker's thread between events and returns its answer.</summary>
    public T OnWorker<T>(Func<T> read) => _worker.OnWorker(read);

    /// <summary>Bytes the worker's thread has allocated on the managed heap so far.</summary>
    public long WorkerAllocatedBytes() => _worker.AllocatedBytes();

    /// <summary>The HTTP/1 request leases the worker keeps idle (made for requests in flight at once, and back).</summary>
    public int IdleHttp1Leases() => OnWorker(() => _worker.Worker.Http1Leases.Idle);

    /// <summary>The listener's counters as the worker has them now (a copy).</summary>
    public ListenerStats ListenerStats() => OnWorker(() =>
    {
        var copy = new ListenerStats();
        copy.Add(_worker.Worker.Stats.Listeners[0]);
        return copy;
    });

    public void Dispose() => _worker.Dispose();
}
