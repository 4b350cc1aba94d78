namespace MeshEdge.Native.Xds.Wire;

/// <summary>
/// Who this proxy is (envoy.config.core.v3.Node: id 1, cluster 2, metadata 3 as a Struct,
/// user_agent_name 6, user_agent_version 7, client_features 10). Metadata values are text or nested
/// tables (<c>LABELS.app</c>), as the bootstrap had them.
/// </summary>
internal sealed record XdsNode(string Id, string Cluster, SortedDictionary<string, object> Metadata, string UserAgentVersion)
{
    public void Write(ProtoWriter node)
    {
        node.String(1, Id);
        node.String(2, Cluster);
        node.Message(3, metadata => Struct(metadata, Metadata));
        node.String(6, "meshedge");
        node.String(7, UserAgentVersion);
        node.Strings(10, ["envoy.lb.does_not_support_overprovisioning"]);
    }

    // Struct: fields = 1 (map entries: key 1, value 2); Value: string_value 3, struct_value 5.
    private static void Struct(ProtoWriter writer, SortedDictionary<string, object> fields)
    {
        foreach (var (key, value) in fields)
        {
            writer.Message(1, entry =>
            {
                entry.String(1, key);
                entry.Message(2, v =>
                {
                    if (value is SortedDictionary<string, object> nested)
                    {
                        v.Message(5, s => Struct(s, nested));
                    }
                    else
                    {
                        v.Bytes(3, System.Text.Encoding.UTF8.GetBytes((string)value));
                    }
                });
            });
        }
    }
}
