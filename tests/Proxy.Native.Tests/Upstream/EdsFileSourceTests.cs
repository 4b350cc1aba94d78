using System.Text;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Tests.Upstream;

public sealed class EdsFileSourceTests
{
    [Fact]
    public void Hosts_are_addresses_or_objects_with_weight_and_priority()
    {
        var hosts = EdsFileSource.Parse(Encoding.UTF8.GetBytes("""
            {"hosts": ["10.0.0.1:80", {"address": "[::1]:81", "weight": 3, "priority": 1}]}
            """));
        Assert.Equal(["10.0.0.1:80", "[::1]:81"], hosts.Select(h => h.Address.ToString()));
        Assert.Equal([1, 3], hosts.Select(h => h.Weight));
        Assert.Equal([0, 1], hosts.Select(h => h.Priority));
    }

    [Theory]
    [InlineData("""{"hosts": ["10.0.0.1"]}""", "hosts[0].address")]
    [InlineData("""{"hosts": [{"weight": 2}]}""", "hosts[0].address")]
    [InlineData("""{"hosts": ["10.0.0.1:80", {"address": "10.0.0.2:80", "weight": 0}]}""", "hosts[1].weight")]
    [InlineData("""{"hosts": [{"address": "10.0.0.2:80", "priority": 9}]}""", "hosts[0].priority")]
    [InlineData("""{"endpoints": []}""", "\"hosts\" array")]
    [InlineData("""{"hosts": [7]}""", "hosts[0]")]
    public void Mistakes_name_the_entry(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => EdsFileSource.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(expected, error.Message);
    }
}
