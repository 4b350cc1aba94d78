using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>
/// Who this proxy is to a control plane (Envoy's bootstrap <c>node</c>): the id (Istio's
/// <c>sidecar~IP~pod.ns~ns.svc.cluster.local</c>), the service cluster and the metadata, flattened to
/// dotted key paths (<c>LABELS.app</c>) with their values as text. Kept for the xDS client.
/// </summary>
public sealed record NodeConfig(string Id, string Cluster, ImmutableArray<KeyValuePair<string, string>> Metadata);
