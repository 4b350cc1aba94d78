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

    /// <param name="tree">The decoded <paramref name="body"/>, kept until <see cref="Compact"/>; null to decode it when first read.</param>
    /// <param name="endpointName">For an EDS cluster, the ClusterLoadAssignment it waits for.</param>
    /// <param name="alone">What the resource bound to when checked alone, if the assembly can use it.</param>
    public XdsResource(string name, string version, ConfigTable? tree, XdsResourceType type, byte[] body, string? endpointName, XdsBoundAlone? alone = null)
    {
        Alone = alone;
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

    /// <summary>
    /// A cluster's config without EDS endpoints or an assignment's hosts, from its check alone; null when
    /// the assembly has to translate the resource (with its pair) the whole way.
    /// </summary>
    public XdsBoundAlone? Alone { get; }

    public ConfigTable Tree => _tree ??= ProtoTreeReader.Read(ProtoSchema.Envoy, _messageName, _body);

    /// <summary>Drops the tree; the next read decodes the bytes again.</summary>
    public void Compact() => _tree = null;
}
