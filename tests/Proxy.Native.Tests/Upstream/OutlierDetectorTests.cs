using System.Diagnostics;
using System.Net;
using MeshEdge.Config.Model;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Tests.Upstream;

public sealed class OutlierDetectorTests
{
    private static ClusterRuntime Cluster(int hosts, OutlierDetectionConfig outliers) =>
        new(0, new ClusterConfig("web", ClusterType.Static, LoadBalancerPolicy.RoundRobin, TimeSpan.FromSeconds(1),
            [.. Enumerable.Range(1, hosts).Select(i => new HostConfig(IPEndPoint.Parse($"10.0.0.{i}:80"), 1))])
        { OutlierDetection = outliers }, workerCount: 1);

    private static readonly OutlierDetectionConfig Config = OutlierDetectionConfig.Default with { Consecutive5xx = 3, MaxEjectionPercent = 50 };

    [Fact]
    public void Consecutive_5xx_eject_a_host_and_a_success_resets_the_streak()
    {
        var cluster = Cluster(4, Config);
        var host = cluster.Hosts[0];
        var detector = cluster.Outliers!;
        detector.ReportStatus(host, 0, 500);
        detector.ReportStatus(host, 0, 500);
        detector.ReportStatus(host, 0, 200);
        detector.ReportStatus(host, 0, 500);
        detector.ReportStatus(host, 0, 500);
        Assert.False(host.IsEjected);
        detector.ReportStatus(host, 0, 503);
        Assert.True(host.IsEjected);
        Assert.DoesNotContain(host, cluster.Snapshot.Routable[0]);
    }

    [Fact]
    public void No_more_than_the_maximum_percentage_is_ejected_at_once()
    {
        var cluster = Cluster(4, Config);
        foreach (var host in cluster.Hosts)
        {
            for (var i = 0; i < 3; i++)
            {
                cluster.Outliers!.ReportGatewayFailure(host, 0);
            }
        }

        Assert.Equal(2, cluster.Hosts.Count(h => h.IsEjected));
    }

    [Fact]
    public void Each_ejection_lasts_longer_up_to_the_cap_and_ends_when_its_time_is_up()
    {
        var config = Config with { BaseEjectionTime = TimeSpan.FromSeconds(10), MaxEjectionTime = TimeSpan.FromSeconds(25) };
        var cluster = Cluster(2, config);
        var host = cluster.Hosts[0];
        var detector = cluster.Outliers!;
        var durations = new List<double>();
        for (var round = 0; round < 4; round++)
        {
            var before = Stopwatch.GetTimestamp();
            for (var i = 0; i < 3; i++)
            {
                detector.ReportStatus(host, 0, 500);
            }

            durations.Add(Math.Round((double)(host.EjectedUntil - before) / Stopwatch.Frequency));
            detector.EndEjections(host.EjectedUntil - 1);
            Assert.True(host.IsEjected);
            detector.EndEjections(host.EjectedUntil);
            Assert.False(host.IsEjected);
        }

        Assert.Equal([10, 20, 25, 25], durations);
    }

    [Fact]
    public void Success_rate_ejects_the_host_far_below_the_others()
    {
        var config = Config with { Consecutive5xx = 0, ConsecutiveGatewayFailure = 0, SuccessRateMinimumHosts = 5, SuccessRateRequestVolume = 100 };
        var cluster = Cluster(6, config);
        var detector = cluster.Outliers!;
        for (var h = 0; h < 6; h++)
        {
            for (var i = 0; i < 200; i++)
            {
                // Host 5 fails one request in two; the others one in a hundred.
                var fails = h == 5 ? i % 2 == 0 : i % 100 == 0;
                detector.ReportStatus(cluster.Hosts[h], 0, fails ? 500 : 200);
            }
        }

        detector.EjectBySuccessRate();
        Assert.Equal([false, false, false, false, false, true], cluster.Hosts.Select(h => h.IsEjected));
        Assert.Equal(1, detector.SuccessRateEjections);
    }

    [Fact]
    public void Success_rate_waits_for_enough_hosts_with_enough_requests()
    {
        var config = Config with { Consecutive5xx = 0, ConsecutiveGatewayFailure = 0, SuccessRateMinimumHosts = 5, SuccessRateRequestVolume = 100 };
        var cluster = Cluster(6, config);
        var detector = cluster.Outliers!;
        for (var h = 0; h < 6; h++)
        {
            // Only 4 hosts reach the volume.
            for (var i = 0; i < (h < 4 ? 200 : 50); i++)
            {
                detector.ReportStatus(cluster.Hosts[h], 0, h == 0 && i % 2 == 0 ? 500 : 200);
            }
        }

        detector.EjectBySuccessRate();
        Assert.DoesNotContain(cluster.Hosts, h => h.IsEjected);
    }
}
