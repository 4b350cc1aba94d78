using MeshEdge.Config.Model;

namespace MeshEdge.Config.Tests.TestSupport;

/// <summary>
/// Structural equality for the model. The records' own Equals compares ImmutableArray members by
/// reference (ImmutableArray is a struct around an array), so two loads of the same text are never
/// record-equal; this compares the contents.
/// </summary>
internal static class ModelAssert
{
    public static void Equal(ProxyConfig expected, ProxyConfig actual)
    {
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.Runtime, actual.Runtime);

        // ListenerConfig holds no arrays, so its record equality is already by value.
        Assert.Equal(expected.Listeners.ToArray(), actual.Listeners.ToArray());

        Assert.Equal(expected.Clusters.Length, actual.Clusters.Length);
        for (var i = 0; i < expected.Clusters.Length; i++)
        {
            var e = expected.Clusters[i];
            var a = actual.Clusters[i];
            Assert.Equal(e with { Hosts = [] }, a with { Hosts = [] });
            Assert.Equal(e.Hosts.ToArray(), a.Hosts.ToArray());
        }
    }

    /// <summary>Equal apart from <see cref="ProxyConfig.Source"/> (TOML and JSON of the same config).</summary>
    public static void EqualIgnoringSource(ProxyConfig expected, ProxyConfig actual) =>
        Equal(expected, actual with { Source = expected.Source });
}
