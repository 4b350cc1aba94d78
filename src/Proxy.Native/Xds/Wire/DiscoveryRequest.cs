namespace MeshEdge.Native.Xds.Wire;

/// <summary>
/// The requests the client sends, in protobuf's wire format (envoy.service.discovery.v3):
/// DiscoveryRequest (version_info 1, node 2, resource_names 3, type_url 4, response_nonce 5,
/// error_detail 6) and DeltaDiscoveryRequest (node 1, type_url 2, resource_names_subscribe 3,
/// resource_names_unsubscribe 4, initial_resource_versions 5, response_nonce 6, error_detail 7).
/// An error_detail is a google.rpc.Status (code 1, message 2).
/// </summary>
internal static class DiscoveryRequest
{
    /// <summary>gRPC's INVALID_ARGUMENT, the code Envoy puts in a NACK.</summary>
    private const int InvalidArgument = 3;

    public static byte[] StateOfTheWorld(string typeUrl, string version, string nonce, IEnumerable<string> names, XdsNode? node, string? error)
    {
        var writer = new ProtoWriter();
        writer.String(1, version);
        if (node is not null)
        {
            writer.Message(2, node.Write);
        }

        writer.Strings(3, names);
        writer.String(4, typeUrl);
        writer.String(5, nonce);
        if (error is not null)
        {
            writer.Message(6, status => Status(status, error));
        }

        return writer.ToArray();
    }

    public static byte[] Delta(string typeUrl, string nonce, IEnumerable<string> subscribe, IEnumerable<string> unsubscribe,
        IEnumerable<KeyValuePair<string, string>> initialVersions, XdsNode? node, string? error)
    {
        var writer = new ProtoWriter();
        if (node is not null)
        {
            writer.Message(1, node.Write);
        }

        writer.String(2, typeUrl);
        writer.Strings(3, subscribe);
        writer.Strings(4, unsubscribe);
        foreach (var (name, version) in initialVersions)
        {
            writer.Message(5, entry =>
            {
                entry.String(1, name);
                entry.String(2, version);
            });
        }

        writer.String(6, nonce);
        if (error is not null)
        {
            writer.Message(7, status => Status(status, error));
        }

        return writer.ToArray();
    }

    private static void Status(ProtoWriter status, string message)
    {
        status.Int32(1, InvalidArgument);
        status.String(2, message);
    }
}
