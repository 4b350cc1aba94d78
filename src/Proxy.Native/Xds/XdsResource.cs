using MeshEdge.Config.Tree;

namespace MeshEdge.Native.Xds;

/// <summary>
/// One accepted resource as the config tree the Envoy translators read, converted once when it
/// arrived, so that a push of one resource converts one resource.
/// </summary>
internal sealed record XdsResource(string Name, string Version, ConfigTable Tree);
