using System.Net;
using System.Net.Sockets;
using MeshEdge.Config.Model;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Tests.Upstream;

/// <summary>The checker's thresholds, round by round, against a real TCP listener that comes and goes.</summary>
public sealed class ActiveHealthCheckerTests
{
    private static (ClusterRuntime Cluster, ActiveHealthChecker Checker) Cluster(int port, HealthCheckConfig check)
    {
        var config = new ClusterConfig("app", ClusterType.Static, LoadBalancerPolicy.RoundRobin, TimeSpan.FromSeconds(1),
            [new HostConfig(new IPEndPoint(IPAddress.Loopback, port), 1)])
        { HealthCheck = check };
        var cluster = new ClusterRuntime(0, config, workerCount: 1);
        return (cluster, new ActiveHealthChecker(cluster, check));
    }

    private static TcpListener Listen(int port = 0)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return listener;
    }

    [Fact]
    public async Task A_host_leaves_after_unhealthy_threshold_failures_and_returns_after_healthy_threshold_passes()
    {
        var listener = Listen();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var (cluster, checker) = Cluster(port, new HealthCheckConfig(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), UnhealthyThreshold: 2, HealthyThreshold: 2));
        var host = cluster.Hosts[0];

        await checker.CheckRoundAsync(CancellationToken.None);
        Assert.True(host.PassesChecks);

        listener.Stop();
        await checker.CheckRoundAsync(CancellationToken.None);
        Assert.True(host.PassesChecks); // one failure of two
        await checker.CheckRoundAsync(CancellationToken.None);
        Assert.False(host.PassesChecks);
        Assert.True(cluster.Snapshot.Panic[0]); // its only host is out: routing was republished

        listener = Listen(port);
        try
        {
            await checker.CheckRoundAsync(CancellationToken.None);
            Assert.False(host.PassesChecks); // one pass of two
            await checker.CheckRoundAsync(CancellationToken.None);
            Assert.True(host.PassesChecks);
            Assert.False(cluster.Snapshot.Panic[0]);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task A_host_held_back_until_healthy_needs_only_its_first_pass()
    {
        var listener = Listen();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            // A generous probe timeout: under a loaded CI the connect's continuation can wait on the thread pool for a second.
            var check = new HealthCheckConfig(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), UnhealthyThreshold: 1, HealthyThreshold: 3) { NoTrafficUntilHealthy = true };
            var (cluster, checker) = Cluster(port, check);
            Assert.False(cluster.Hosts[0].PassesChecks);

            await checker.CheckRoundAsync(CancellationToken.None);
            Assert.True(cluster.Hosts[0].PassesChecks);
        }
        finally
        {
            listener.Stop();
        }
    }
}
