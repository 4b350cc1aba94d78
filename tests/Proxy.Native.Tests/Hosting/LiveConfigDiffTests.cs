using MeshEdge.Config;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Tests.Hosting;

/// <summary>What a live change keeps: two loads of the same cluster compare equal by content, a host change is membership only.</summary>
public sealed class LiveConfigDiffTests
{
    private static ClusterConfig Load(string cluster, string before = "")
    {
        var loaded = ConfigLoader.LoadToml($"""
            [[listeners]]
            name = "inbound"
            address = "127.0.0.1:0"
            protocol = "tcp"
            [listeners.tcp_proxy]
            cluster = "app"

            {before}

            [[clusters]]
            name = "app"
            {cluster}
            """, "diff.toml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        return loaded.Config!.Clusters.Single(c => c.Name == "app");
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
    public void A_tls_table_loaded_twice_is_the_same_wherever_the_cluster_sits_and_a_name_change_is_not()
    {
        const string Tls = """
            hosts = ["127.0.0.1:1"]
            [clusters.tls]
            sni = "backend.test"
            subject_alt_names = ["spiffe://cluster.local/ns/shop/sa/backend"]
            alpn = ["h2", "http/1.1"]
            """;
        var first = Load(Tls);
        var moved = Load(Tls, "[[clusters]]\nname = \"other\"\nhosts = [\"127.0.0.1:2\"]");

        Assert.NotEqual(first.Tls!.KeyPath, moved.Tls!.KeyPath);
        Assert.True(LiveConfigDiff.SameSettings(first, moved));
        Assert.False(LiveConfigDiff.SameSettings(first, Load(Tls.Replace("sa/backend", "sa/other", StringComparison.Ordinal))));
        Assert.False(LiveConfigDiff.SameSettings(first, Load(Tls.Replace("\"h2\", ", "", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_strict_dns_clusters_names_are_settings()
    {
        var before = Load("type = \"strict_dns\"\nhosts = [\"localhost:80\"]");

        Assert.False(LiveConfigDiff.SameSettings(before, Load("type = \"strict_dns\"\nhosts = [\"localhost:81\"]")));
    }
}
