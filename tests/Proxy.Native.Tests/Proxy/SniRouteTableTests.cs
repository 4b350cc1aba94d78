using System.Text;
using MeshEdge.Config.Model;
using MeshEdge.Native.Proxy;

namespace MeshEdge.Native.Tests.Proxy;

/// <summary>The most specific server name wins whatever the routes' order; case does not matter; the default is separate from the routes.</summary>
public sealed class SniRouteTableTests
{
    private static readonly string[] Clusters = ["fallback", "wide", "narrow", "exact"];

    private static SniRouteTable Table(string defaultCluster) => new(
        new TcpProxyConfig(defaultCluster, TimeSpan.FromHours(1), 3)
        {
            SniRoutes =
            [
                new SniRouteConfig(["*.example.com"], "wide"),
                new SniRouteConfig(["*.api.example.com", "other.org"], "narrow"),
                new SniRouteConfig(["v1.api.example.com"], "exact"),
            ],
        },
        name => Array.IndexOf(Clusters, name));

    [Theory]
    [InlineData("v1.api.example.com", 2)]
    [InlineData("V1.API.Example.Com", 2)]
    [InlineData("v2.api.example.com", 1)]
    [InlineData("deep.v2.api.example.com", 1)]
    [InlineData("api.example.com", 0)]
    [InlineData("www.example.com", 0)]
    [InlineData("other.org", 1)]
    [InlineData("example.com", -1)]
    [InlineData("sub.other.org", -1)]
    [InlineData("xexample.com", -1)]
    public void The_most_specific_name_wins(string serverName, int route)
    {
        Assert.Equal(route, Table("fallback").Match(Encoding.ASCII.GetBytes(serverName)));
    }

    [Fact]
    public void Routes_and_the_default_name_their_clusters()
    {
        var table = Table("fallback");

        Assert.Equal([1, 2, 3], table.ClusterIndices);
        Assert.Equal(0, table.DefaultClusterIndex);
        Assert.Equal(-1, Table("").DefaultClusterIndex);
    }
}
