using MeshEdge.Config.Tree;
using MeshEdge.Native.Xds.Wire;

namespace MeshEdge.Native.Xds;

/// <summary>
/// One accepted resource: its name, version and message bytes, and the config tree the Envoy
/// translators read, converted once when it arrived. Once its translation is kept elsewhere (a
/// cluster's, by <see cref="XdsClusterTranslations"/>), <see cref="Compact"/> drops the tree, which
/// is some forty times the bytes (a table per message, each with its list and dictionary): with
/// 10,000 clusters the trees were 4.5 KB of live heap per cluster. A later read decodes it again.
/// </summary>
internal sealed class XdsResource
{
    private readonly byte[] _body;
    private readonly string _messageName;
    private ConfigTable? _tree;

    /// <param name="tree">The decoded <paramref name="body"/>, kept until <see cref="Compact"/>.</param>
    /// <param name="endpointName">For an EDS cluster, the ClusterLoadAssignment it waits for.</param>
    public XdsResource(string name, string version, ConfigTable tree, XdsResourceType type, byte[] body, string? endpointName)
    {
        Name = name;
        Version = version;
        _tree = tree;
        _body = body;
        _messageName = type.MessageName;
        EndpointName = endpointName;
    }

    public string Name { get; }

    public string Version { get; }

    /// <summary>For an EDS cluster, the ClusterLoadAssignment it waits for; else null.</summary>
    public string? EndpointName { get; }

    public ConfigTable Tree => _tree ??= ProtoTreeReader.Read(ProtoSchema.Envoy, _messageName, _body);

    /// <summary>Drops the tree; the next read decodes the bytes again.</summary>
    public void Compact() => _tree = null;
}
