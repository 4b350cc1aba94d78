using MeshEdge.Config;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Tests.Hosting;

/// <summary>A live change compiles only what changed: clusters that stay keep their runtime, an endpoint change touches its cluster alone.</summary>
public sealed class SnapshotCompilerTests
{
    private static ProxyConfig Load(int portOfB)
    {
        var loaded = ConfigLoader.LoadToml($"""
            [[listeners]]
            name = "inbound"
            address = "127.0.0.1:0"
            protocol = "tcp"
            [listeners.tcp_proxy]
            cluster = "a"

            [[clusters]]
            name = "a"
            hosts = ["127.0.0.1:9001"]

            [[clusters]]
            name = "b"
            hosts = ["127.0.0.1:{portOfB}"]

            [[clusters]]
            name = "c"
            hosts = ["127.0.0.1:9003"]
            """, "compiler.toml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        return loaded.Config!;
    }

    private static WorkerSnapshot Start(SnapshotCompiler compiler, ProxyConfig config)
    {
        var plan = compiler.Compile(config, new TlsServerContext?[config.Listeners.Length], previous: null);
        compiler.Commit(plan);
        return plan.Snapshot;
    }

    [Fact]
    public void AnEndpointChangeKeepsEveryClusterRuntimeAndSwapsTheHostsOfOne()
    {
        var compiler = new SnapshotCompiler(workerCount: 2);
        var running = Start(compiler, Load(9002));

        var next = Load(9102);
        var plan = compiler.Compile(next, new TlsServerContext?[next.Listeners.Length], running);

        AssertSameRuntimes(running, plan.Snapshot);
        Assert.Empty(plan.AddedClusters);
        Assert.Empty(plan.RetiredClusters);
        var (cluster, hosts) = Assert.Single(plan.HostChanges);
        Assert.Equal("b", cluster.Name);
        Assert.Equal(9102, hosts.Hosts.Single().Address.Port);
    }

    [Fact]
    public void TheSameSettingsObjectsKeepTheirRuntimesWithNothingToSwap()
    {
        var compiler = new SnapshotCompiler(workerCount: 2);
        var config = Load(9002);
        var running = Start(compiler, config);

        // The xDS client hands over the very ClusterConfig objects of clusters whose resources stayed.
        var plan = compiler.Compile(config, new TlsServerContext?[config.Listeners.Length], running);

        AssertSameRuntimes(running, plan.Snapshot);
        Assert.False(plan.ChangesClusters);
    }

    private static void AssertSameRuntimes(WorkerSnapshot running, WorkerSnapshot next)
    {
        Assert.Equal(running.Clusters.Length, next.Clusters.Length);
        for (var i = 0; i < running.Clusters.Length; i++)
        {
            Assert.Same(running.Clusters[i], next.Clusters[i]);
        }
    }
}
