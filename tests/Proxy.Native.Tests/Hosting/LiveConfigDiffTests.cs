using MeshEdge.Config;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Tests.Hosting;

/// <summary>What a live change keeps: two loads of the same cluster compare equal by content, a host change is membership only.</summary>
public sealed class LiveConfigDiffTests
{
    private static ClusterConfig Load(string cluster)
    {
        var loaded = ConfigLoader.LoadToml($"""
            [[listeners]]
            name = "inbound"
            address = "127.0.0.1:0"
            protocol = "tcp"
            [listeners.tcp_proxy]
            cluster = "app"

            [[clusters]]
            name = "app"
            {cluster}
            """, "diff.toml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        return loaded.Config!.Clusters[0];
    }

    private const string Checked = """
        health_check = { interval = "1s", timeout = "1s", unhealthy_threshold = 2, healthy_threshold = 2, type = "http", expected_statuses = [200, 204] }
        """;

    [Fact]
    public void Two_loads_of_one_cluster_are_the_same_though_their_arrays_are_not_the_same_objects()
    {
        var first = Load($"hosts = [\"127.0.0.1:1\", \"127.0.0.1:2\"]\n{Checked}");
        var second = Load($"hosts = [\"127.0.0.1:1\", \"127.0.0.1:2\"]\n{Checked}");

        Assert.NotEqual(first, second);
        Assert.True(LiveConfigDiff.SameSettings(first, second));
        Assert.True(LiveConfigDiff.SameHosts(first, second));
    }

    [Fact]
    public void A_static_host_change_keeps_the_settings_and_a_setting_change_does_not()
    {
        var before = Load("hosts = [\"127.0.0.1:1\"]");

        Assert.True(LiveConfigDiff.SameSettings(before, Load("hosts = [\"127.0.0.1:1\", \"127.0.0.1:3\"]")));
        Assert.False(LiveConfigDiff.SameHosts(before, Load("hosts = [\"127.0.0.1:1\", \"127.0.0.1:3\"]")));
        Assert.False(LiveConfigDiff.SameSettings(before, Load("hosts = [\"127.0.0.1:1\"]\nlb_policy = \"random\"")));
        Assert.False(LiveConfigDiff.SameSettings(Load($"hosts = [\"127.0.0.1:1\"]\n{Checked}"), Load($"hosts = [\"127.0.0.1:1\"]\n{Checked.Replace("204", "202", StringComparison.Ordinal)}")));
    }

    [Fact]
    public void A_strict_dns_clusters_names_are_settings()
    {
        var before = Load("type = \"strict_dns\"\nhosts = [\"localhost:80\"]");

        Assert.False(LiveConfigDiff.SameSettings(before, Load("type = \"strict_dns\"\nhosts = [\"localhost:81\"]")));
    }
}
