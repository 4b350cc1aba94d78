using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>The <c>[clusters.outlier_detection]</c> table.</summary>
public sealed class OutlierDetectionConfigTests
{
    private const string Listener = "[[listeners]]\nname = \"l\"\naddress = \"127.0.0.1:1\"\ntcp_proxy.cluster = \"c\"\n";

    [Fact]
    public void Absent_means_none_and_an_empty_table_means_the_defaults()
    {
        var none = LoadAssert.Succeeds(ConfigLoader.LoadToml(Listener + "[[clusters]]\nname = \"c\"\nhosts = [\"127.0.0.1:2\"]\n", "o.toml"));
        var defaults = LoadAssert.Succeeds(ConfigLoader.LoadToml(Listener + "[[clusters]]\nname = \"c\"\nhosts = [\"127.0.0.1:2\"]\noutlier_detection = {}\n", "o.toml"));

        Assert.Null(none.Clusters[0].OutlierDetection);
        Assert.Equal(OutlierDetectionConfig.Default, defaults.Clusters[0].OutlierDetection);
    }

    [Fact]
    public void Every_key_binds()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(Listener + """
            [[clusters]]
            name = "c"
            hosts = ["127.0.0.1:2"]
            outlier_detection = { consecutive_5xx = 7, consecutive_gateway_failure = 0, base_ejection_time = "10s", max_ejection_percent = 50, interval = "2s" }
            """, "o.toml"));

        Assert.Equal(new OutlierDetectionConfig(7, 0, TimeSpan.FromSeconds(10), 50, TimeSpan.FromSeconds(2)), config.Clusters[0].OutlierDetection);
    }

    [Theory]
    [InlineData("max_ejection_percent = 101", "clusters[0].outlier_detection.max_ejection_percent: 101 is out of range (0..100)")]
    [InlineData("base_ejection_time = \"0s\"", "clusters[0].outlier_detection.base_ejection_time: \"0s\" must be greater than zero")]
    [InlineData("consecutive_500 = 3", "clusters[0].outlier_detection.consecutive_500: unknown key (did you mean \"consecutive_5xx\"?)")]
    public void Mistakes_are_reported_precisely(string entry, string expected)
    {
        var toml = Listener + $"[[clusters]]\nname = \"c\"\nhosts = [\"127.0.0.1:2\"]\noutlier_detection = {{ {entry} }}\n";

        Assert.Equal([expected], LoadAssert.Fails(ConfigLoader.LoadToml(toml, "o.toml")));
    }
}
